"""Build a Dockerfile on the real engine and record what the build observably did (its outcome).

An outcome is what a user of the image can tell apart:

* ``build``: ``ok`` or ``failed (exit code N)`` -- a failing RUN stops the build with that command's status;
* ``files``: every file of the image's filesystem (path, type, mode, owner, content hash or link target),
  except the package-manager caches and logs the fixes are meant to remove or that hold timestamps;
* ``config``: the parts of the image config a container sees (Env, User, WorkingDir, ExposedPorts, Labels,
  Volumes, StopSignal, Healthcheck);
* ``run``: exit status and output of running the image's command (``docker run`` without arguments).

Builds use the engine's cache, so a variant that shares its first steps with the original is quick.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import tarfile
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Paths whose content depends on when the build ran or that are caches a fix removes on purpose.
IGNORED_PREFIXES = (
    "var/lib/apt/lists/",
    "var/cache/",
    "var/log/",
    "root/.cache/",
    "root/.npm/",
    "usr/local/share/.cache/",
    "tmp/fakecache/",
)
CONFIG_KEYS = ("Env", "User", "WorkingDir", "ExposedPorts", "Labels", "Volumes", "StopSignal", "Healthcheck")
_EXIT_CODE = re.compile(r"exit code: (\d+)")


@dataclass
class Outcome:
    build: str
    files: dict[str, str] = field(default_factory=dict)
    config: dict[str, Any] = field(default_factory=dict)
    run: str = ""

    def differences(self, other: Outcome, *, files_and_config: bool = True) -> list[str]:
        """Human-readable differences from ``other`` (empty when they agree)."""
        out: list[str] = []
        if self.build != other.build:
            out.append(f"build: {self.build!r} != {other.build!r}")
            return out
        if self.run != other.run:
            out.append(f"run: {self.run!r} != {other.run!r}")
        if not files_and_config:
            return out
        for key in CONFIG_KEYS:
            if self.config.get(key) != other.config.get(key):
                out.append(f"config {key}: {self.config.get(key)!r} != {other.config.get(key)!r}")
        for path in sorted(set(self.files) | set(other.files)):
            a, b = self.files.get(path), other.files.get(path)
            if a != b:
                out.append(f"file /{path}: {a} != {b}")
        return out


def _docker(
    *argv: str, timeout: float = 300, data: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["docker", *argv], input=data, capture_output=True, timeout=timeout, check=False)


def _ignored(path: str) -> bool:
    return any(path.startswith(p) or path + "/" == p for p in IGNORED_PREFIXES)


def _manifest(tar_bytes: bytes) -> dict[str, str]:
    import io

    files: dict[str, str] = {}
    with tarfile.open(fileobj=io.BytesIO(tar_bytes)) as tar:
        for member in tar:
            path = member.name.lstrip("./")
            if not path or _ignored(path):
                continue
            head = f"{member.type!r} {member.mode:o} {member.uid}:{member.gid}"
            if member.isfile():
                handle = tar.extractfile(member)
                digest = hashlib.sha256(handle.read() if handle else b"").hexdigest()[:16]
                files[path] = f"{head} {digest}"
            elif member.issym() or member.islnk():
                files[path] = f"{head} -> {member.linkname}"
            else:
                files[path] = head
    return files


def outcome(context: Path, dockerfile: str, *, name: str) -> Outcome:
    """Build ``dockerfile`` (text) in ``context`` and probe the result; the image is removed afterwards."""
    path = context.parent / f"{context.name}-dockerfiles" / f"Dockerfile.{name}"  # outside the context
    path.parent.mkdir(exist_ok=True)
    path.write_text(dockerfile)
    tag = f"dockgen-difftest-{uuid.uuid4().hex[:10]}:{name.lower()}"
    built = _docker("build", "-q", "-t", tag, "-f", str(path), str(context))
    if built.returncode != 0:
        err = built.stderr.decode(errors="replace")
        code = _EXIT_CODE.search(err)
        return Outcome(build=f"failed (exit code {code.group(1)})" if code else f"failed: {err[-300:]}")
    try:
        tar = _docker("build", "-q", "--output", "type=tar,dest=-", "-f", str(path), str(context))
        assert tar.returncode == 0, tar.stderr.decode(errors="replace")
        inspect = _docker("image", "inspect", tag, "--format", "{{json .Config}}")
        config = json.loads(inspect.stdout) if inspect.returncode == 0 else {}
        container = f"dockgen-difftest-{uuid.uuid4().hex[:10]}"
        try:
            run = _docker("run", "--name", container, "--network", "none", tag, timeout=180)
            output = (run.stdout + run.stderr).decode(errors="replace").strip()
            ran = f"exit {run.returncode}: {output}"
        except subprocess.TimeoutExpired:
            ran = "did not finish within 180 s"
        finally:
            _docker("rm", "-f", container)
        return Outcome(
            build="ok",
            files=_manifest(tar.stdout),
            config={k: config.get(k) for k in CONFIG_KEYS},
            run=ran,
        )
    finally:
        _docker("image", "rm", "-f", tag)


def outcomes(context: Path, variants: Iterable[tuple[str, str]], workers: int = 3) -> dict[str, Outcome]:
    """Outcomes of several (name, Dockerfile text) variants, built a few at a time."""
    from concurrent.futures import ThreadPoolExecutor

    items = list(variants)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = pool.map(lambda item: outcome(context, item[1], name=item[0]), items)
        return {name: result for (name, _), result in zip(items, results, strict=True)}
