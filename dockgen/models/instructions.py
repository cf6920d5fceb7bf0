"""One declaration model per Dockerfile instruction, with typed flags.

Shell form is a ``str``, exec form a ``list[str]`` (``Cmd(["node", "server.js"])`` vs ``Cmd("node server.js")``).
The main field of each instruction may be given positionally: ``Run("make")``, ``Workdir("/app")``,
``Copy("src/", "/app/src/")``, ``Env({"PORT": "8080"})``, ``Expose(8080)``.

``extra_flags`` (raw ``--name=value`` strings) is the escape hatch for flags dockgen does not model yet; it is
also what ``dockgen import`` uses to stay faithful to unusual input.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from dockgen.models import _buildkit as bk
from dockgen.models._base import Model

__all__ = [
    "Add",
    "Arg",
    "BindMount",
    "CacheMount",
    "Cmd",
    "Comment",
    "Copy",
    "Entrypoint",
    "Env",
    "Expose",
    "Healthcheck",
    "Heredoc",
    "Instruction",
    "Label",
    "Maintainer",
    "Mount",
    "OnBuild",
    "Run",
    "SecretMount",
    "Shell",
    "SshMount",
    "StopSignal",
    "TmpfsMount",
    "User",
    "Volume",
    "Workdir",
]

_MODE_RE = re.compile(r"0?[0-7]{3,4}")
_KEY_RE = re.compile(r"[^\s=\"']+|\"[^\"=\n]+\"|'[^'=\n]+'")
_FLAG_RE = re.compile(r"--[A-Za-z][A-Za-z0-9-]*(?:=.*)?", re.S)


def _no_newline(value: str, what: str = "a shell command") -> str:
    if "\n" in value or "\r" in value:
        raise ValueError(
            f"{what} must be one line (a Dockerfile joins continuation lines, so a newline would not separate "
            "commands); join commands with ' && ' (Run.chain(...) does it) or use a heredoc (Heredoc(...))"
        )
    return value


def _command(value: str | list[str], what: str) -> str | list[str]:
    if isinstance(value, str):
        return _no_newline(value, what)
    return value


def _check_key(key: str) -> None:
    if not _KEY_RE.fullmatch(key):
        raise ValueError(f"key {key!r} must be non-empty, without '=' and without blanks unless quoted")


def _duration(value: str | int | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, int):
        if value < 0:
            raise ValueError("a duration cannot be negative")
        return f"{value}s"
    return bk.check_duration(value)


def _flags(value: list[str]) -> list[str]:
    for flag in value:
        if not _FLAG_RE.fullmatch(flag):
            raise ValueError(f"{flag!r} is not a flag; write '--name=value' or '--name'")
    return value


class _Instruction(Model):
    """Fields every instruction has."""

    extra_flags: list[str] = []
    """Raw flags dockgen does not model, rendered verbatim after the modelled ones (``["--device=..."]``)."""

    _check_flags = field_validator("extra_flags")(classmethod(lambda cls, v: _flags(v)))


class Comment(Model):
    """A ``# comment`` line, attached above the next instruction of the stage."""

    kind: Literal["comment"] = "comment"
    text: str
    _positional: ClassVar[tuple[str, ...]] = ("text",)

    @field_validator("text")
    @classmethod
    def _one_line(cls, value: str) -> str:
        return _no_newline(value, "a comment")


class Heredoc(Model):
    """A here-document for ``RUN`` (a script) or ``COPY``/``ADD`` (a file's content).

    ``Run(heredocs=[Heredoc("set -eu\\necho hi\\n")])`` renders ``RUN <<EOF`` + the body + ``EOF``. ``quote``
    ``"'"`` or ``'"'`` quotes the delimiter, which turns off variable expansion in the body; ``strip_tabs``
    writes ``<<-EOF`` (leading tabs of the body are removed by the build).
    """

    content: str
    name: str = "EOF"
    strip_tabs: bool = False
    quote: Literal["", "'", '"'] = ""
    _positional: ClassVar[tuple[str, ...]] = ("content", "name")

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", value):
            raise ValueError(f"heredoc delimiter {value!r} must be a word of letters, digits, '_', '.', '-'")
        return value

    @model_validator(mode="after")
    def _terminator_not_in_body(self) -> Heredoc:
        for line in self.content.splitlines():
            check = line.lstrip("\t") if self.strip_tabs else line
            if check == self.name:
                raise ValueError(
                    f"the body contains a line that is exactly the delimiter {self.name!r}, which would end the "
                    "here-document early; choose another name"
                )
        return self

    @property
    def marker(self) -> str:
        """``<<EOF``, ``<<-EOF``, ``<<'EOF'``."""
        return f"<<{'-' if self.strip_tabs else ''}{self.quote}{self.name}{self.quote}"


# ---- RUN mounts ------------------------------------------------------------------------------------------


class _Mount(Model):
    @field_validator("mode", check_fields=False)
    @classmethod
    def _mode(cls, value: str | None) -> str | None:
        return None if value is None else bk.check_mode(value)

    @field_validator("uid", "gid", check_fields=False)
    @classmethod
    def _id(cls, value: int | None) -> int | None:
        if value is not None and value < 0:
            raise ValueError(f"{value} must be a non-negative number")
        return value

    @field_validator("size", check_fields=False)
    @classmethod
    def _size(cls, value: str | int | None) -> str | int | None:
        return None if value is None else bk.check_size(value)

    def options(self) -> list[tuple[str, str]]:
        """``(key, value)`` pairs in the order rendered after ``type=``."""
        out: list[tuple[str, str]] = []
        for name, info in type(self).model_fields.items():
            if name == "type":
                continue
            value = getattr(self, name)
            if value is None or value is False:
                continue
            key = info.alias or name
            out.append((key, "true" if value is True else str(value)))
        return out

    def flag_value(self) -> str:
        """The ``--mount`` value: ``type=cache,target=/root/.cache,sharing=locked``."""
        kind = getattr(self, "type")  # noqa: B009 - every subclass has a literal ``type``
        return ",".join([f"type={kind}", *(f"{k}={v}" for k, v in self.options())])


class CacheMount(_Mount):
    """``--mount=type=cache``: a persistent build cache directory (package-manager caches)."""

    type: Literal["cache"] = "cache"
    id: str | None = None
    target: str
    sharing: Literal["shared", "private", "locked"] | None = None
    from_: str | None = Field(default=None, alias="from")
    source: str | None = None
    mode: str | None = None
    uid: int | None = None
    gid: int | None = None
    readonly: bool = False
    _positional: ClassVar[tuple[str, ...]] = ("target",)


class BindMount(_Mount):
    """``--mount=type=bind``: a read-only (unless ``rw``) view of the context or another stage/image."""

    type: Literal["bind"] = "bind"
    target: str
    source: str | None = None
    from_: str | None = Field(default=None, alias="from")
    rw: bool = False
    _positional: ClassVar[tuple[str, ...]] = ("target", "source")


class SecretMount(_Mount):
    """``--mount=type=secret``: a build secret as a file (``target``) or an environment variable (``env``)."""

    type: Literal["secret"] = "secret"
    id: str | None = None
    target: str | None = None
    env: str | None = None
    required: bool = False
    mode: str | None = None
    uid: int | None = None
    gid: int | None = None
    _positional: ClassVar[tuple[str, ...]] = ("id",)


class SshMount(_Mount):
    """``--mount=type=ssh``: the build's SSH agent socket."""

    type: Literal["ssh"] = "ssh"
    id: str | None = None
    target: str | None = None
    required: bool = False
    mode: str | None = None
    uid: int | None = None
    gid: int | None = None
    _positional: ClassVar[tuple[str, ...]] = ("id",)


class TmpfsMount(_Mount):
    """``--mount=type=tmpfs``: a scratch directory in memory."""

    type: Literal["tmpfs"] = "tmpfs"
    target: str
    size: str | int | None = None
    _positional: ClassVar[tuple[str, ...]] = ("target",)


Mount = Annotated[
    CacheMount | BindMount | SecretMount | SshMount | TmpfsMount,
    Field(discriminator="type"),
]


# ---- instructions ----------------------------------------------------------------------------------------


class Run(_Instruction):
    """``RUN``: ``Run("make")`` (shell form), ``Run(["make", "all"])`` (exec form).

    ``mounts`` are typed ``--mount`` flags (a raw string such as ``"type=cache,target=/x"`` is accepted too),
    ``network`` and ``security`` the other RUN flags; ``heredocs`` scripts (with an empty ``command`` the
    markers are written for you: ``RUN <<EOF``).
    """

    kind: Literal["run"] = "run"
    command: str | list[str] = ""
    mounts: list[Mount | str] = []
    network: Literal["default", "none", "host"] | None = None
    security: Literal["sandbox", "insecure"] | None = None
    heredocs: list[Heredoc] = []
    _positional: ClassVar[tuple[str, ...]] = ("command",)

    @field_validator("command")
    @classmethod
    def _one_line(cls, value: str | list[str]) -> str | list[str]:
        return _command(value, "a RUN command")

    @field_validator("mounts")
    @classmethod
    def _mount_strings(cls, value: list[Any]) -> list[Any]:
        for mount in value:
            if isinstance(mount, str):
                bk.check_mount_string(mount)
        return value

    @model_validator(mode="after")
    def _has_something(self) -> Run:
        if not self.command and not self.heredocs:
            raise ValueError("RUN needs a command or a heredoc")
        if self.heredocs and isinstance(self.command, list):
            raise ValueError("heredocs need the shell form: give command as a string")
        if self.heredocs and self.command:
            for doc in self.heredocs:
                if doc.name not in self.command or "<<" not in self.command:
                    raise ValueError(
                        f"command {self.command!r} does not open heredoc {doc.name!r}; write {doc.marker} "
                        "in it, or leave command empty to have the markers written for you"
                    )
        return self

    @classmethod
    def chain(cls, *commands: str, **kwargs: Any) -> Run:
        """One RUN from several shell commands joined with ``&&`` (one layer)."""
        return cls(command=" && ".join(commands), **kwargs)


def _sources(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


class _Files(_Instruction):
    """What COPY and ADD share."""

    src: list[str] = []
    dest: str | None = None
    chown: str | None = None
    chmod: str | None = None
    link: bool = False
    exclude: list[str] = []
    heredocs: list[Heredoc] = []
    _positional: ClassVar[tuple[str, ...]] = ("src", "dest")

    @field_validator("src", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return _sources(value) if isinstance(value, str) else value

    @field_validator("chmod")
    @classmethod
    def _chmod(cls, value: str | None) -> str | None:
        return None if value is None else bk.check_chmod(value)

    @field_validator("chown")
    @classmethod
    def _chown(cls, value: str | None) -> str | None:
        return None if value is None else bk.check_user(value, "chown")


class Copy(_Files):
    """``COPY``: ``Copy("src/", "/app/src/")``, ``Copy(["a", "b"], "/app/")``, ``Copy("/app", "/app", from_=builder)``.

    ``files={"/etc/app.conf": "key = 1\\n"}`` writes files from inline content (one ``COPY <<EOF /path`` each).
    ``from_`` is a stage name, a :class:`~dockgen.Stage` of the same image, or an image reference.
    """

    kind: Literal["copy"] = "copy"
    from_: str | None = Field(default=None, alias="from")
    parents: bool = False
    files: dict[str, str] = {}

    @field_validator("from_", mode="before")
    @classmethod
    def _stage_name(cls, value: Any) -> Any:
        return _stage_ref(value)

    @model_validator(mode="after")
    def _shape(self) -> Copy:
        _check_shape(self, "COPY", allow_files=True)
        return self


class Add(_Files):
    """``ADD``: remote URLs (with ``checksum``), git repositories (``keep_git_dir``) and archives.

    Prefer :class:`Copy` for local files (ADD auto-extracts archives).
    """

    kind: Literal["add"] = "add"
    checksum: str | None = None
    keep_git_dir: bool | None = None
    unpack: bool | None = None

    @model_validator(mode="after")
    def _shape(self) -> Add:
        _check_shape(self, "ADD", allow_files=False)
        return self


def _check_shape(ins: _Files, keyword: str, *, allow_files: bool) -> None:
    files = getattr(ins, "files", {}) if allow_files else {}
    if files:
        if ins.src or ins.dest or ins.heredocs:
            raise ValueError("give either files={path: content} or src/dest (and heredocs), not both")
        for path, content in files.items():
            if not path or any(c.isspace() for c in path):
                raise ValueError(f"files: path {path!r} must be non-empty and contain no whitespace")
            del content
        return
    if ins.dest is None or not ins.dest:
        raise ValueError(f"{keyword} needs a destination (dest=)")
    if not ins.src and not ins.heredocs:
        raise ValueError(f"{keyword} needs at least one source (src=) or a heredoc")


def _stage_ref(value: Any) -> Any:
    """A Stage (or Image) given where a name is expected becomes its name / reference."""
    if value is None or isinstance(value, str):
        return value
    name = getattr(value, "name", None)
    stages = getattr(value, "stages", None)
    if stages is not None and hasattr(value, "reference"):
        return value.reference()
    if isinstance(name, str):
        return name
    if hasattr(value, "base"):
        raise ValueError("this Stage has no name; give it name=... to refer to it")
    return value


class _Pairs(_Instruction):
    values: dict[str, str]
    raw: bool = False
    """Values are written verbatim (already quoted Dockerfile words) instead of being quoted by dockgen."""
    _positional: ClassVar[tuple[str, ...]] = ("values",)

    @field_validator("values")
    @classmethod
    def _keys(cls, value: dict[str, str]) -> dict[str, str]:
        if not value:
            raise ValueError("needs at least one key")
        for key, val in value.items():
            _check_key(key)
            _no_newline(val, f"value of {key!r}")
        return value


class Env(_Pairs):
    """``ENV``: ``Env({"PORT": "8080", "PATH": "/opt/venv/bin:$PATH"})`` (``$VAR`` references expand)."""

    kind: Literal["env"] = "env"


class Label(_Pairs):
    """``LABEL``: ``Label({"org.opencontainers.image.source": "https://..."})``."""

    kind: Literal["label"] = "label"


class Arg(_Instruction):
    """``ARG``: ``Arg("VERSION")``, ``Arg("VERSION", "1.2")``, ``Arg({"A": "1", "B": None})``."""

    kind: Literal["arg"] = "arg"
    values: dict[str, str | None]
    raw: bool = False

    def __init__(
        self, name: str | dict[str, str | None] | None = None, default: str | None = None, /, **data: Any
    ):
        if isinstance(name, str):
            data["values"] = {name: default}
        elif name is not None:
            data["values"] = name
        super().__init__(**data)

    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @field_validator("values")
    @classmethod
    def _keys(cls, value: dict[str, str | None]) -> dict[str, str | None]:
        if not value:
            raise ValueError("needs at least one name")
        for key, val in value.items():
            _check_key(key)
            if val is not None:
                _no_newline(val, f"default of {key!r}")
        return value


class Workdir(_Instruction):
    """``WORKDIR``: use an absolute path."""

    kind: Literal["workdir"] = "workdir"
    path: str
    _positional: ClassVar[tuple[str, ...]] = ("path",)

    _line = field_validator("path")(classmethod(lambda cls, v: _no_newline(v, "a path")))


class User(_Instruction):
    """``USER``: ``User("app")``, ``User("10001:10001")``."""

    kind: Literal["user"] = "user"
    user: str
    _positional: ClassVar[tuple[str, ...]] = ("user",)

    @field_validator("user")
    @classmethod
    def _user(cls, value: str) -> str:
        return bk.check_user(_no_newline(value, "a user"))


class Expose(_Instruction):
    """``EXPOSE``: ``Expose(8080)``, ``Expose([80, "443/tcp", "53/udp"])``."""

    kind: Literal["expose"] = "expose"
    ports: list[int | str]
    _positional: ClassVar[tuple[str, ...]] = ("ports",)

    @field_validator("ports", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return [value] if isinstance(value, int | str) else value

    @field_validator("ports")
    @classmethod
    def _valid(cls, value: list[int | str]) -> list[int | str]:
        if not value:
            raise ValueError("needs at least one port")
        for port in value:
            if isinstance(port, int):
                if not 0 < port < 65536:
                    raise ValueError(f"port {port} is outside 1..65535")
            else:
                bk.check_port(port)
        return value


class Volume(_Instruction):
    """``VOLUME``: ``Volume("/data")`` or ``Volume(["/data", "/logs"])``."""

    kind: Literal["volume"] = "volume"
    paths: list[str]
    _positional: ClassVar[tuple[str, ...]] = ("paths",)

    @field_validator("paths", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class Cmd(_Instruction):
    """``CMD``: prefer the exec form, ``Cmd(["node", "server.js"])``."""

    kind: Literal["cmd"] = "cmd"
    command: str | list[str]
    _positional: ClassVar[tuple[str, ...]] = ("command",)

    _line = field_validator("command")(classmethod(lambda cls, v: _command(v, "a CMD command")))


class Entrypoint(_Instruction):
    """``ENTRYPOINT``: prefer the exec form, ``Entrypoint(["/app/server"])``."""

    kind: Literal["entrypoint"] = "entrypoint"
    command: str | list[str]
    _positional: ClassVar[tuple[str, ...]] = ("command",)

    _line = field_validator("command")(classmethod(lambda cls, v: _command(v, "an ENTRYPOINT command")))


class Healthcheck(_Instruction):
    """``HEALTHCHECK``: ``Healthcheck(["curl", "-f", "http://localhost/"], interval="30s", retries=3)``.

    ``Healthcheck.none()`` (``disable=True``) writes ``HEALTHCHECK NONE`` (turns off an inherited check).
    Durations are strings such as ``"30s"``/``"1m30s"`` or ints of seconds.
    """

    kind: Literal["healthcheck"] = "healthcheck"
    command: str | list[str] | None = None
    interval: str | None = None
    timeout: str | None = None
    start_period: str | None = None
    start_interval: str | None = None
    retries: int | None = Field(default=None, ge=0)
    disable: bool = False
    _positional: ClassVar[tuple[str, ...]] = ("command",)

    @field_validator("interval", "timeout", "start_period", "start_interval", mode="before")
    @classmethod
    def _durations(cls, value: Any) -> Any:
        return _duration(value) if isinstance(value, str | int) and not isinstance(value, bool) else value

    @field_validator("command")
    @classmethod
    def _line(cls, value: str | list[str] | None) -> str | list[str] | None:
        return None if value is None else _command(value, "a HEALTHCHECK command")

    @model_validator(mode="after")
    def _shape(self) -> Healthcheck:
        if self.disable:
            options = (self.command, self.interval, self.timeout, self.start_period, self.start_interval)
            if any(v is not None for v in options) or self.retries is not None:
                raise ValueError("HEALTHCHECK NONE (disable=True) takes no command and no options")
        elif not self.command:
            raise ValueError("give a command, or disable=True for HEALTHCHECK NONE")
        return self

    @classmethod
    def none(cls) -> Healthcheck:
        return cls(disable=True)


class Shell(_Instruction):
    """``SHELL``: ``Shell(["/bin/bash", "-o", "pipefail", "-c"])``."""

    kind: Literal["shell"] = "shell"
    argv: list[str] = Field(min_length=1)
    _positional: ClassVar[tuple[str, ...]] = ("argv",)


class StopSignal(_Instruction):
    """``STOPSIGNAL``: ``StopSignal("SIGTERM")``."""

    kind: Literal["stopsignal"] = "stopsignal"
    signal: str | int
    _positional: ClassVar[tuple[str, ...]] = ("signal",)

    @field_validator("signal")
    @classmethod
    def _signal(cls, value: str | int) -> str | int:
        return bk.check_signal(value)


class Maintainer(_Instruction):
    """``MAINTAINER`` (deprecated; prefer ``Label({"org.opencontainers.image.authors": ...})``)."""

    kind: Literal["maintainer"] = "maintainer"
    name: str
    _positional: ClassVar[tuple[str, ...]] = ("name",)


Trigger = Annotated[
    Run
    | Copy
    | Add
    | Env
    | Arg
    | Label
    | Workdir
    | User
    | Expose
    | Volume
    | Cmd
    | Entrypoint
    | Healthcheck
    | Shell
    | StopSignal,
    Field(discriminator="kind"),
]


class OnBuild(_Instruction):
    """``ONBUILD``: ``OnBuild(Copy(".", "/app/"))`` runs when another build uses this image as its base."""

    kind: Literal["onbuild"] = "onbuild"
    instruction: Trigger
    _positional: ClassVar[tuple[str, ...]] = ("instruction",)


#: Every primitive instruction model (steps also accept the package helpers of dockgen.models.packages).
Instruction = (
    Comment
    | Run
    | Copy
    | Add
    | Env
    | Arg
    | Label
    | Workdir
    | User
    | Expose
    | Volume
    | Cmd
    | Entrypoint
    | Healthcheck
    | Shell
    | StopSignal
    | OnBuild
    | Maintainer
)
