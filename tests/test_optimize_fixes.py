"""The optimizer's fixes on the real engine: the image before and after builds, and the program behaves the same.

* DG017's multi-stage split (unsafe): the split Dockerfile builds, its program prints the same, the runtime
  stage has no compiler, and the image is smaller.
* DG055's ``--auto-remove`` (safe): the same program output, and the compiler the removal left behind is gone.
* DG056 base slimming (unsafe): ``debian:bookworm`` -> ``debian:bookworm-slim`` builds and behaves the same.
* DG054 cache mounts (unsafe, opt-in): the same packages, the same automatically-installed marks
  (``/var/lib/apt/extended_states`` stays in the image), the same program output.
* ``dockgen import --optimize`` + render: the declared split builds and behaves like the original.

The projects are tiny C programs compiled with Debian's gcc (apt, from the Debian archive).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.infra import require_engine

pytestmark = [pytest.mark.docker, pytest.mark.slow]

DIGEST_C = r"""
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    const char *text = argc > 1 ? argv[1] : "dockgen";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(text, strlen(text), md, &len, EVP_sha256(), NULL);
    for (unsigned int i = 0; i < len; i++)
        printf("%02x", md[i]);
    printf("  %s\n", text);
    return 0;
}
"""

HELLO_C = r"""
#include <stdio.h>
int main(void) { printf("sum %d\n", 40 + 2); return 0; }
"""


def _docker(*argv: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["docker", *argv], capture_output=True, text=True, timeout=timeout, check=False)


def _dockgen(cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dockgen", *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _build(project: Path, tag: str) -> None:
    for _attempt in range(3):
        proc = _docker("build", "-q", "-t", tag, str(project))
        # other suites pruning the shared engine can make the export miss a blob: build again
        if proc.returncode == 0 or "failed to solve: not found" not in proc.stderr:
            break
    assert proc.returncode == 0, proc.stderr[-2000:]


def _run(tag: str, *command: str) -> tuple[int, str]:
    proc = _docker("run", "--rm", "--network", "none", tag, *command, timeout=120)
    return proc.returncode, proc.stdout + proc.stderr


def _unpacked_size(tag: str) -> int:
    proc = _docker("history", "--human=false", "--format", "{{.Size}}", tag)
    assert proc.returncode == 0, proc.stderr
    return sum(int(line) for line in proc.stdout.split())


@pytest.fixture
def tags() -> Iterator[list[str]]:
    made: list[str] = []
    yield made
    for tag in made:
        _docker("image", "rm", "-f", tag, timeout=60)


def _variant(src: Path, dest: Path, *lint_args: str) -> Path:
    shutil.copytree(src, dest)
    if lint_args:
        proc = _dockgen(dest, "lint", "Dockerfile", *lint_args)
        assert proc.returncode in (0, 1), proc.stderr
    return dest


def _declared(src: Path, dest: Path) -> Path:
    """``dockgen import --optimize`` of ``src``'s Dockerfile, rendered over it (``render --take-over``, as after any import)."""
    shutil.copytree(src, dest)
    proc = _dockgen(dest, "import", "Dockerfile", "--optimize", "--name", "app", "-o", "build_images.py")
    assert proc.returncode == 0, proc.stderr
    render = subprocess.run(
        [sys.executable, "build_images.py", "render", "--take-over"],
        cwd=dest,
        capture_output=True,
        text=True,
        check=False,
    )
    assert render.returncode == 0, render.stderr
    return dest


def test_multi_stage_split_builds_and_runs_the_same(tmp_path: Path, tags: list[str]) -> None:
    require_engine()
    src = tmp_path / "src"
    src.mkdir()
    (src / "digest.c").write_text(DIGEST_C)
    (src / "Dockerfile").write_text(
        "FROM debian:bookworm\n"
        "RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev libssl-dev\n"
        "COPY digest.c /src/digest.c\n"
        "WORKDIR /src\n"
        "RUN gcc -O2 -o /usr/local/bin/digest digest.c -lcrypto\n"
        'CMD ["digest", "multi-stage"]\n'
    )
    original = _variant(src, tmp_path / "original")
    split = _variant(src, tmp_path / "split", "--fix", "--unsafe-fixes", "--select", "DG017")
    declared = _declared(src, tmp_path / "declared")
    for project in (split, declared):
        text = (project / "Dockerfile").read_text()
        assert "AS builder" in text and "COPY --from=builder /usr/local/bin/digest" in text
        assert "libssl3" in text  # the runtime library of libssl-dev
    run_id = uuid.uuid4().hex[:8]
    before = f"dockgen-opttest/split:orig-{run_id}"
    afters = [f"dockgen-opttest/split:fixed-{run_id}", f"dockgen-opttest/split:decl-{run_id}"]
    tags.extend([before, *afters])
    _build(original, before)
    _build(split, afters[0])
    _build(declared, afters[1])
    assert _run(before)[0] == 0
    # the compiler is in the original only
    assert _run(before, "sh", "-c", "command -v gcc")[0] == 0
    for after in afters:
        assert _run(before) == _run(after)
        assert _run(after, "sh", "-c", "command -v gcc")[0] != 0
        assert _unpacked_size(after) < _unpacked_size(before) * 0.7


def test_auto_remove_fix_keeps_the_program_and_drops_the_compiler(tmp_path: Path, tags: list[str]) -> None:
    require_engine()
    src = tmp_path / "src"
    src.mkdir()
    (src / "hello.c").write_text(HELLO_C)
    (src / "Dockerfile").write_text(
        "FROM debian:bookworm\n"
        "COPY hello.c /tmp/hello.c\n"
        "RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev \\\n"
        "    && gcc -O2 -o /usr/local/bin/hello /tmp/hello.c \\\n"
        "    && apt-get remove -y gcc libc6-dev && rm -rf /var/lib/apt/lists/*\n"
        'CMD ["hello"]\n'
    )
    original = _variant(src, tmp_path / "original")
    fixed = _variant(src, tmp_path / "fixed", "--fix", "--select", "DG055")
    assert "apt-get remove --auto-remove -y gcc libc6-dev" in (fixed / "Dockerfile").read_text()
    run_id = uuid.uuid4().hex[:8]
    before, after = f"dockgen-opttest/autoremove:orig-{run_id}", f"dockgen-opttest/autoremove:fixed-{run_id}"
    tags.extend([before, after])
    _build(original, before)
    _build(fixed, after)
    assert _run(before) == _run(after) == (0, "sum 42\n")
    # `remove gcc` left the real compiler (gcc-12) behind; --auto-remove takes it too
    probe = ("sh", "-c", "dpkg-query -W -f '${Status}' gcc-12 2>/dev/null | grep -q 'ok installed'")
    assert _run(before, *probe)[0] == 0
    assert _run(after, *probe)[0] != 0
    assert _unpacked_size(after) < _unpacked_size(before)


def test_slim_base_builds_and_behaves_the_same(tmp_path: Path, tags: list[str]) -> None:
    require_engine()
    src = tmp_path / "src"
    src.mkdir()
    (src / "Dockerfile").write_text(
        "FROM debian:bookworm\n"
        "RUN useradd --system app && mkdir -p /srv/data && echo ready > /srv/data/state\n"
        "USER app\n"
        'CMD ["sh", "-c", "id -un; cat /srv/data/state; ls /usr/bin | wc -l"]\n'
    )
    original = _variant(src, tmp_path / "original")
    slim = _variant(src, tmp_path / "slim", "--fix", "--unsafe-fixes", "--select", "DG056")
    assert (slim / "Dockerfile").read_text().startswith("FROM debian:bookworm-slim\n")
    run_id = uuid.uuid4().hex[:8]
    before, after = f"dockgen-opttest/slim:orig-{run_id}", f"dockgen-opttest/slim:fixed-{run_id}"
    tags.extend([before, after])
    _build(original, before)
    _build(slim, after)
    assert _run(before) == _run(after)
    assert _run(before)[0] == 0
    # what -slim leaves out: documentation and manual pages
    assert _run(before, "test", "-e", "/usr/share/man/man1/bash.1.gz")[0] == 0
    assert _run(after, "test", "-e", "/usr/share/man/man1/bash.1.gz")[0] != 0
    assert _unpacked_size(after) < _unpacked_size(before)


def test_apt_cache_mount_fix_keeps_packages_and_their_marks(tmp_path: Path, tags: list[str]) -> None:
    require_engine()
    src = tmp_path / "src"
    src.mkdir()
    (src / "Dockerfile").write_text(
        "FROM debian:bookworm-slim\n"
        "RUN apt-get update && apt-get install -y --no-install-recommends jq && rm -rf /var/lib/apt/lists/*\n"
        'CMD ["sh", "-c", "echo \'{\\"a\\": [1, 2]}\' | jq -c .a; apt-mark showauto; apt-mark showmanual jq"]\n'
    )
    original = _variant(src, tmp_path / "original")
    mounted = _variant(src, tmp_path / "mounted", "--fix", "--unsafe-fixes", "--select", "DG054")
    assert "--mount=type=cache,target=/var/lib/apt/lists" in (mounted / "Dockerfile").read_text()
    run_id = uuid.uuid4().hex[:8]
    before, after = f"dockgen-opttest/aptcache:orig-{run_id}", f"dockgen-opttest/aptcache:fixed-{run_id}"
    tags.extend([before, after])
    _build(original, before)
    _build(mounted, after)
    code, out = _run(before)
    assert code == 0 and out.startswith("[1,2]\n") and "libjq1" in out  # jq's libraries are marked automatic
    assert _run(after) == (code, out)
    # neither image keeps package lists or downloaded packages
    probe = (
        "sh",
        "-c",
        "ls /var/lib/apt/lists /var/cache/apt/archives | grep -c -v -e '^$' -e ':$' -e partial -e lock",
    )
    assert _run(before, *probe) == _run(after, *probe)
