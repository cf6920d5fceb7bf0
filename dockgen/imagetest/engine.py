"""Run image checks with the ``docker`` CLI."""

from __future__ import annotations

import contextlib
import http.client
import io
import json
import re
import shutil
import socket
import subprocess
import tarfile
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from dockgen.errors import DockgenError, ToolMissingError
from dockgen.models.checks import CommandCheck, FileCheck, MetadataCheck, PortCheck, UserCheck

AnyCheck = CommandCheck | FileCheck | UserCheck | PortCheck | MetadataCheck


@dataclass(frozen=True)
class CheckResult:
    image: str
    """The declared image name."""
    reference: str
    """What was tested: a local tag or ``repo@sha256:...``."""
    check: str
    """The check's title (``command: python3 --version``)."""
    kind: str
    passed: bool
    expected: str = ""
    seen: str = ""
    seconds: float = 0.0


def _short(text: str, limit: int = 300) -> str:
    text = text.strip()
    return repr(text if len(text) <= limit else text[:limit] + "...")


def _docker() -> str:
    found = shutil.which("docker")
    if found is None:
        raise ToolMissingError(
            "image checks need the docker CLI, which is not on PATH",
            hint="install Docker (or run scripts/infra.sh)",
        )
    return found


def _run(
    args: Sequence[str], timeout: float = 120, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([_docker(), *args], capture_output=True, timeout=timeout, input=stdin, check=False)


@dataclass
class ImageUnderTest:
    """One image on the engine, inspected once, with one stopped container to read files from."""

    reference: str
    name: str
    pull: bool = False
    """Pull the reference when the engine does not have it (the push gate tests ``repo@sha256:...``)."""
    _config: dict[str, Any] | None = None
    _container: str | None = None
    _files: dict[str, bytes | None] = field(default_factory=dict)

    def config(self) -> dict[str, Any]:
        if self._config is None:
            out = _run(["image", "inspect", "--format", "{{json .Config}}", self.reference], timeout=60)
            if out.returncode != 0 and self.pull:
                pulled = _run(["pull", "--quiet", self.reference], timeout=600)
                if pulled.returncode != 0:
                    raise DockgenError(
                        f"image {self.name!r}: cannot pull {self.reference} to test it: "
                        f"{pulled.stderr.decode(errors='replace').strip()[-300:]}"
                    )
                out = _run(["image", "inspect", "--format", "{{json .Config}}", self.reference], timeout=60)
            if out.returncode != 0:
                raise DockgenError(
                    f"image {self.name!r}: {self.reference} is not on the local engine",
                    hint="build it first (`dockgen build`), or run `dockgen test --build`",
                )
            self._config = json.loads(out.stdout or b"{}") or {}
        return self._config

    def container(self) -> str:
        if self._container is None:
            self.config()
            out = _run(
                ["create", "--entrypoint", "/dockgen-checks-never-started", self.reference], timeout=120
            )
            if out.returncode != 0:
                raise DockgenError(
                    f"image {self.name!r}: cannot create a container of {self.reference}: "
                    f"{out.stderr.decode(errors='replace').strip()[-300:]}"
                )
            self._container = out.stdout.decode().strip()
        return self._container

    def close(self) -> None:
        if self._container is not None:
            _run(["rm", "-f", self._container], timeout=60)
            self._container = None

    def entry(self, path: str, follow: bool = False) -> tarfile.TarInfo | None:
        """The tar header of ``path`` in the image (None when it does not exist)."""
        cmd = [_docker(), "cp", *(["-L"] if follow else []), f"{self.container()}:{path}", "-"]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            assert proc.stdout is not None
            try:
                with tarfile.open(fileobj=proc.stdout, mode="r|") as tar:
                    return tar.next()
            except tarfile.ReadError:
                return None
        finally:
            proc.kill()
            proc.communicate()

    def read(self, path: str) -> bytes | None:
        """A small file's content (``/etc/passwd``), or None."""
        if path not in self._files:
            out = _run(["cp", "-L", f"{self.container()}:{path}", "-"], timeout=60)
            content: bytes | None = None
            if out.returncode == 0:
                with tarfile.open(fileobj=io.BytesIO(out.stdout)) as tar:
                    member = tar.next()
                    handle = tar.extractfile(member) if member is not None and member.isfile() else None
                    content = handle.read() if handle is not None else None
            self._files[path] = content
        return self._files[path]

    def ids(self, path: str) -> dict[str, int]:
        """name -> id from ``/etc/passwd`` or ``/etc/group`` of the image."""
        out: dict[str, int] = {}
        for line in (self.read(path) or b"").decode(errors="replace").splitlines():
            parts = line.split(":")
            if len(parts) >= 3 and parts[2].isdigit():
                out.setdefault(parts[0], int(parts[2]))
        return out


def run_checks(image: ImageUnderTest, checks: Sequence[AnyCheck]) -> list[CheckResult]:
    """Run ``checks`` against ``image``; every check gives one result (never raises for a failed check).

    Raises :class:`DockgenError` when the image is not on the engine (and cannot be pulled)."""
    results: list[CheckResult] = []
    image.config()  # an image that is not there is one clear error, not a failure of every check
    try:
        for check in checks:
            started = time.monotonic()
            try:
                passed, expected, seen = _one(image, check)
            except subprocess.TimeoutExpired as exc:
                passed, expected, seen = False, "to finish", f"still running after {exc.timeout:.0f}s"
            except DockgenError as exc:
                passed, expected, seen = False, "the check to run", exc.message
            results.append(
                CheckResult(
                    image.name,
                    image.reference,
                    check.title,
                    check.kind,
                    passed,
                    expected,
                    seen,
                    time.monotonic() - started,
                )
            )
    finally:
        image.close()
    return results


def _one(image: ImageUnderTest, check: AnyCheck) -> tuple[bool, str, str]:
    if isinstance(check, CommandCheck):
        return _command(image, check)
    if isinstance(check, FileCheck):
        return _file(image, check)
    if isinstance(check, UserCheck):
        return _user(image, check)
    if isinstance(check, PortCheck):
        return _port(image, check)
    return _metadata(image, check)


# ------------------------------------------------------------------------------------------------ command
def _command(image: ImageUnderTest, check: CommandCheck) -> tuple[bool, str, str]:
    image.config()
    name = f"dockgen-check-{uuid.uuid4().hex[:12]}"
    args = ["run", "--rm", "--name", name]
    if check.user:
        args += ["--user", check.user]
    for key, value in check.env.items():
        args += ["--env", f"{key}={value}"]
    if isinstance(check.command, str):
        args += ["--entrypoint", "/bin/sh", image.reference, "-c", check.command]
    else:
        args += ["--entrypoint", check.command[0], image.reference, *check.command[1:]]
    try:
        out = _run(args, timeout=check.timeout)
    except subprocess.TimeoutExpired:
        _run(["rm", "-f", name], timeout=60)
        raise
    stdout = out.stdout.decode(errors="replace")
    stderr = out.stderr.decode(errors="replace")
    problems: list[str] = []
    expected: list[str] = []
    if out.returncode != check.exit_code:
        expected.append(f"exit code {check.exit_code}")
        problems.append(f"exit code {out.returncode} (stderr {_short(stderr)})")
    for label, pattern, text in (("stdout", check.stdout, stdout), ("stderr", check.stderr, stderr)):
        if pattern is not None and not re.search(pattern, text, re.MULTILINE):
            expected.append(f"{label} matching {pattern!r}")
            problems.append(f"{label} {_short(text)}")
    if check.stdout_excludes is not None:
        found = re.search(check.stdout_excludes, stdout, re.MULTILINE)
        if found:
            expected.append(f"stdout without {check.stdout_excludes!r}")
            problems.append(f"stdout contains {found.group(0)!r}")
    if problems:
        return False, "; ".join(expected), "; ".join(problems)
    return True, "", ""


# ------------------------------------------------------------------------------------------------ file
_TYPES = {tarfile.DIRTYPE: "directory", tarfile.SYMTYPE: "symlink", tarfile.LNKTYPE: "file"}


def _kind(info: tarfile.TarInfo) -> str:
    return _TYPES.get(info.type, "file" if info.isfile() else "special file")


def _file(image: ImageUnderTest, check: FileCheck) -> tuple[bool, str, str]:
    info = image.entry(check.path)
    if not check.exists:
        if info is None:
            return True, "", ""
        return False, f"{check.path} absent", f"a {_kind(info)} at {check.path}"
    if info is None:
        return False, f"{check.path} present", f"no {check.path} in the image"
    if check.type != "symlink" and info.issym() and (check.mode or check.owner or check.group):
        info = image.entry(check.path, follow=True) or info
    expected: list[str] = []
    seen: list[str] = []
    if check.type is not None and _kind(info) != check.type:
        expected.append(f"a {check.type}")
        seen.append(f"a {_kind(info)}")
    if check.mode is not None and (info.mode & 0o7777) != int(check.mode, 8):
        expected.append(f"mode {int(check.mode, 8):04o}")
        seen.append(f"mode {info.mode & 0o7777:04o}")
    for label, wanted, actual, table in (
        ("owner", check.owner, info.uid, "/etc/passwd"),
        ("group", check.group, info.gid, "/etc/group"),
    ):
        if wanted is None:
            continue
        names = image.ids(table)
        want_id = int(wanted) if wanted.isdigit() else names.get(wanted)
        if want_id is None:
            expected.append(f"{label} {wanted}")
            seen.append(f"{label} {actual} ({wanted!r} is not in the image's {table})")
        elif want_id != actual:
            by_id = {v: k for k, v in names.items()}
            expected.append(f"{label} {wanted}")
            seen.append(f"{label} {by_id.get(actual, actual)} (id {actual})")
    if expected:
        return False, f"{check.path}: " + ", ".join(expected), ", ".join(seen)
    return True, "", ""


# ------------------------------------------------------------------------------------------------ user
def _effective_user(image: ImageUnderTest) -> tuple[str, int | None]:
    """(the configured user as written, its uid or None when it cannot be resolved)."""
    written = str(image.config().get("User") or "")
    user = written.split(":", 1)[0]
    if user in ("", "root"):
        return written or "root (no USER)", 0
    if user.isdigit():
        return written, int(user)
    return written, image.ids("/etc/passwd").get(user)


def _user(image: ImageUnderTest, check: UserCheck) -> tuple[bool, str, str]:
    written, uid = _effective_user(image)
    if check.not_root and uid == 0:
        return False, "a user other than root", f"user {written} (uid 0)"
    if check.user is not None:
        user = written.split(":", 1)[0]
        match = check.user == user or (check.user.isdigit() and uid is not None and int(check.user) == uid)
        if not match:
            return False, f"user {check.user}", f"user {written or 'root'} (uid {uid})"
    if uid is None:
        return False, "a user the image's /etc/passwd knows", f"user {written} is not in /etc/passwd"
    return True, "", ""


# ------------------------------------------------------------------------------------------------ port
@contextlib.contextmanager
def _started(image: ImageUnderTest, env: dict[str, str]) -> Iterator[str]:
    image.config()
    args = ["run", "--detach"]
    for key, value in env.items():
        args += ["--env", f"{key}={value}"]
    out = _run([*args, image.reference], timeout=120)
    if out.returncode != 0:
        raise DockgenError(
            f"the container did not start: {out.stderr.decode(errors='replace').strip()[-300:]}"
        )
    cid = out.stdout.decode().strip()
    try:
        yield cid
    finally:
        _run(["rm", "-f", cid], timeout=60)


def _state(cid: str) -> tuple[bool, str]:
    fmt = "{{.State.Running}} {{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}"
    out = _run(["inspect", "--format", fmt, cid], timeout=30).stdout.decode().split()
    return (bool(out) and out[0] == "true"), (out[1] if len(out) > 1 else "")


def _answers(ip: str, check: PortCheck) -> str | None:
    """None when the port answers as required, else what was seen."""
    try:
        with socket.create_connection((ip, check.port), timeout=1.0):
            pass
    except OSError as exc:
        return f"no answer on {check.port}/tcp ({exc.strerror or exc})"
    if check.http_path is None:
        return None
    conn = http.client.HTTPConnection(ip, check.port, timeout=2.0)
    try:
        conn.request("GET", check.http_path)
        status = conn.getresponse().status
    except (OSError, http.client.HTTPException) as exc:
        return f"GET {check.http_path} failed: {exc}"
    finally:
        conn.close()
    return None if status < 400 else f"GET {check.http_path} answered {status}"


def _port(image: ImageUnderTest, check: PortCheck) -> tuple[bool, str, str]:
    what = f"port {check.port} answering" + (f" GET {check.http_path} < 400" if check.http_path else "")
    expected = f"{what} within {check.timeout:g}s"
    with _started(image, check.env) as cid:
        deadline = time.monotonic() + check.timeout
        last = "the container never got an address"
        while True:
            running, ip = _state(cid)
            if not running:
                logs = _run(["logs", "--tail", "5", cid], timeout=30)
                tail = (logs.stdout + logs.stderr).decode(errors="replace")
                return False, expected, f"the container exited (last output {_short(tail, 200)})"
            if ip:
                problem = _answers(ip, check)
                if problem is None:
                    return True, "", ""
                last = problem
            if time.monotonic() >= deadline:
                return False, expected, f"{last} after {check.timeout:g}s"
            time.sleep(0.5)


# ------------------------------------------------------------------------------------------------ metadata
def _metadata(image: ImageUnderTest, check: MetadataCheck) -> tuple[bool, str, str]:
    config = image.config()
    expected: list[str] = []
    seen: list[str] = []
    labels: dict[str, str] = config.get("Labels") or {}
    for key, pattern in check.labels.items():
        if key not in labels:
            expected.append(f"label {key}")
            seen.append(f"no label {key}")
        elif pattern and not re.search(pattern, labels[key]):
            expected.append(f"label {key} matching {pattern!r}")
            seen.append(f"{key}={labels[key]!r}")
    exposed = set((config.get("ExposedPorts") or {}).keys())
    for port in check.exposed_ports:
        wanted = port if "/" in port else f"{port}/tcp"
        if wanted not in exposed:
            expected.append(f"exposed {wanted}")
            seen.append(f"exposed {', '.join(sorted(exposed)) or 'nothing'}")
    for label, want, have in (
        ("entrypoint", check.entrypoint, config.get("Entrypoint")),
        ("cmd", check.cmd, config.get("Cmd")),
    ):
        if want is not None and list(have or []) != want:
            expected.append(f"{label} {json.dumps(want)}")
            seen.append(f"{label} {json.dumps(have)}")
    if check.workdir is not None and (config.get("WorkingDir") or "") != check.workdir:
        expected.append(f"workdir {check.workdir}")
        seen.append(f"workdir {config.get('WorkingDir') or '(none)'}")
    if check.user is not None and (config.get("User") or "") != check.user:
        expected.append(f"user {check.user}")
        seen.append(f"user {config.get('User') or '(none: root)'}")
    env = dict(item.split("=", 1) for item in config.get("Env") or [] if "=" in item)
    for key, pattern in check.env.items():
        if key not in env:
            expected.append(f"env {key}")
            seen.append(f"no {key}")
        elif pattern and not re.search(pattern, env[key]):
            expected.append(f"env {key} matching {pattern!r}")
            seen.append(f"{key}={env[key]!r}")
    if expected:
        return False, "; ".join(expected), "; ".join(seen)
    return True, "", ""
