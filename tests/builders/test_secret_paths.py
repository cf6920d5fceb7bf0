"""A relative ``BuildSecret(src=...)`` is read from the build file's directory, whatever the current
directory (it used to mount an unrelated ``secret.txt`` from wherever dockgen ran); a missing file is an
error, not an empty or foreign mount. Real builds with the real engine."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.support.infra import require_buildx, require_engine

pytestmark = [pytest.mark.docker, pytest.mark.buildx]

BUILD_FILE = """\
from dockgen import BuildSecret, Image, Run, SecretMount, Stage

images = [Image("{name}", namespace="dockgen-test", version="1.0.0", secrets=[BuildSecret("tok", src="secret.txt")],
                stages=[Stage(base="busybox", steps=[
                    Run("echo {nonce} && cat /run/secrets/tok > /seen", mounts=[SecretMount("tok")])])])]
"""


def test_relative_secret_is_read_next_to_the_build_file(tmp_path: Path) -> None:
    require_engine()
    require_buildx()
    name = f"secret-path-{uuid.uuid4().hex[:8]}"
    project = tmp_path / "project"
    project.mkdir()
    (project / "build_images.py").write_text(BUILD_FILE.format(name=name, nonce=uuid.uuid4().hex))
    (project / "secret.txt").write_text("the-project-secret\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.txt").write_text("an-unrelated-file\n")
    argv = [sys.executable, "-m", "dockgen", "-f", "../project/build_images.py", "build", "--no-skip"]
    proc = subprocess.run(argv, cwd=elsewhere, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    ref = f"dockgen-test/{name}:1.0.0"
    try:
        seen = subprocess.run(
            ["docker", "run", "--rm", ref, "cat", "/seen"], capture_output=True, text=True, check=True
        ).stdout
    finally:
        subprocess.run(["docker", "image", "rm", "-f", ref], capture_output=True, check=False)
    assert seen == "the-project-secret\n"

    (project / "secret.txt").unlink()
    proc = subprocess.run(argv, cwd=elsewhere, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "build secret 'tok'" in proc.stderr and "does not exist" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
