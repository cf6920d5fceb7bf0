"""Image checks: what a built image must satisfy before any of its tags is published.

Declared on an image (``Image(..., checks=[...])``), run by ``dockgen test`` against local images and by
``dockgen build --push`` as a gate between pushing the content and adding the tags::

    checks=[
        CommandCheck(["python3", "--version"], stdout=r"^Python 3\\.11"),
        FileCheck("/usr/bin/gcc", exists=False),
        FileCheck("/app/app.py", owner="app", mode="0644"),
        UserCheck(),                       # the container does not run as root
        PortCheck(8080, timeout=20),       # something answers on 8080 once the container started
        MetadataCheck(labels={"org.opencontainers.image.source": r"https://"}, exposed_ports=["8080/tcp"]),
    ]

Every check is a frozen pydantic model; :mod:`dockgen.imagetest` runs them on the engine.
"""

from __future__ import annotations

import re
from typing import Annotated, ClassVar, Literal

from pydantic import Field, field_validator

from dockgen.models._base import Model

__all__ = ["Check", "CommandCheck", "FileCheck", "MetadataCheck", "PortCheck", "UserCheck"]


def _regex(value: str | None) -> str | None:
    if value is None:
        return value
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"{value!r} is not a valid regular expression: {exc}") from None
    return value


class CommandCheck(Model):
    """Run a command in a fresh container of the image; check its exit code and output.

    A list is run as is (``["python3", "--version"]``, the image's entrypoint replaced); a string is run with
    ``/bin/sh -c``. ``stdout``/``stderr`` are regular expressions searched in the output (multi-line mode);
    ``stdout_excludes`` must not match.
    """

    kind: Literal["command"] = "command"
    command: list[str] | str
    name: str | None = None
    """Shown in reports and JUnit; default: the command."""
    exit_code: int = 0
    stdout: str | None = None
    stderr: str | None = None
    stdout_excludes: str | None = None
    user: str | None = None
    """Run as this user (``docker run --user``); default: the image's user."""
    env: dict[str, str] = {}
    timeout: float = Field(default=60.0, gt=0)

    _positional: ClassVar[tuple[str, ...]] = ("command",)

    @field_validator("stdout", "stderr", "stdout_excludes")
    @classmethod
    def _patterns(cls, value: str | None) -> str | None:
        return _regex(value)

    @field_validator("command")
    @classmethod
    def _non_empty(cls, value: list[str] | str) -> list[str] | str:
        if not value or (isinstance(value, str) and not value.strip()):
            raise ValueError("the command is empty")
        return value

    @property
    def title(self) -> str:
        shown = self.command if isinstance(self.command, str) else " ".join(self.command)
        return self.name or f"command: {shown}"


class FileCheck(Model):
    """A path in the image's filesystem: present (with type, mode, owner) or absent.

    ``mode`` is octal permission bits (``"0755"``); ``owner``/``group`` a name or a numeric id (names are
    looked up in the image's ``/etc/passwd`` and ``/etc/group``). Read from the image itself, so it works
    for images without a shell (distroless, scratch).
    """

    kind: Literal["file"] = "file"
    path: str
    exists: bool = True
    type: Literal["file", "directory", "symlink"] | None = None
    mode: str | None = None
    owner: str | None = None
    group: str | None = None
    name: str | None = None

    _positional: ClassVar[tuple[str, ...]] = ("path",)

    @field_validator("path")
    @classmethod
    def _absolute(cls, value: str) -> str:
        if not value.startswith("/"):
            raise ValueError(f"{value!r} must be an absolute path in the image")
        return value

    @field_validator("mode")
    @classmethod
    def _octal(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"0?[0-7]{3,4}", value):
            raise ValueError(f"mode {value!r} must be octal permission bits such as '0755' or '644'")
        return value

    @property
    def title(self) -> str:
        return self.name or f"file: {self.path} {'present' if self.exists else 'absent'}"


class UserCheck(Model):
    """The user the container runs as: not root (uid 0), and optionally exactly ``user`` (name or uid)."""

    kind: Literal["user"] = "user"
    not_root: bool = True
    user: str | None = None
    name: str | None = None

    @property
    def title(self) -> str:
        return self.name or ("user: " + (self.user or "not root"))


class PortCheck(Model):
    """Start the container as it would run (its entrypoint and command) and wait until ``port`` answers.

    TCP connect by default; with ``http_path`` an HTTP GET must answer with a status below 400. Fails after
    ``timeout`` seconds, or as soon as the container exits.
    """

    kind: Literal["port"] = "port"
    port: int = Field(ge=1, le=65535)
    timeout: float = Field(default=30.0, gt=0)
    http_path: str | None = None
    env: dict[str, str] = {}
    name: str | None = None

    _positional: ClassVar[tuple[str, ...]] = ("port",)

    @property
    def title(self) -> str:
        return self.name or f"port: {self.port}" + (f" GET {self.http_path}" if self.http_path else "")


class MetadataCheck(Model):
    """The image configuration: labels (value regex), exposed ports, entrypoint, cmd, workdir, env, user."""

    kind: Literal["metadata"] = "metadata"
    labels: dict[str, str] = {}
    """Label name -> regular expression its value must match (``""`` matches any value: label present)."""
    exposed_ports: list[str] = []
    """``"8080"`` or ``"8080/tcp"``: each must be exposed (others may be too)."""
    entrypoint: list[str] | None = None
    cmd: list[str] | None = None
    workdir: str | None = None
    env: dict[str, str] = {}
    """Variable -> regular expression its value must match."""
    user: str | None = None
    name: str | None = None

    @field_validator("labels", "env")
    @classmethod
    def _patterns(cls, value: dict[str, str]) -> dict[str, str]:
        for pattern in value.values():
            _regex(pattern)
        return value

    @field_validator("exposed_ports")
    @classmethod
    def _ports(cls, value: list[str]) -> list[str]:
        for port in value:
            if not re.fullmatch(r"[0-9]{1,5}(/(tcp|udp|sctp))?", port):
                raise ValueError(f"exposed port {port!r} must look like '8080' or '8080/tcp'")
        return value

    @property
    def title(self) -> str:
        return self.name or "metadata"


Check = Annotated[
    CommandCheck | FileCheck | UserCheck | PortCheck | MetadataCheck, Field(discriminator="kind")
]
"""Anything an image's ``checks`` list may hold."""
