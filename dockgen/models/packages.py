"""Package-manager helpers: each expands to one best-practice ``RUN``.

Every helper writes one layer that is non-interactive, does not pull recommended packages and leaves no package
cache in the image, either by cleaning it in the same ``RUN`` or, with ``cache_mount=True``, by keeping it in a
BuildKit cache mount (faster rebuilds, nothing to clean)::

    Apt(["curl", "ca-certificates"])
    # RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends
    #     ca-certificates curl && rm -rf /var/lib/apt/lists/*

Pins: ``packages={"curl": "7.88.*"}`` or ``packages=["curl=7.88.1-10"]``. Packages are written sorted so that
the text (and the layer cache key) does not depend on the order you list them in.
"""

from __future__ import annotations

import re
import shlex
from typing import ClassVar, Literal

from pydantic import field_validator, model_validator

from dockgen.models._base import Model
from dockgen.models.instructions import CacheMount, Run

__all__ = ["Apk", "Apt", "Dnf", "Npm", "Pip", "Yum"]

_VERSION_RE = re.compile(r"[A-Za-z0-9<>=!~^*.,:+_@-]+")
_PACKAGE_RE = re.compile(r"[A-Za-z0-9@_][A-Za-z0-9@_.+:/~<>=!*,\[\]^-]*")


def _quote(word: str) -> str:
    return word if re.fullmatch(r"[A-Za-z0-9@_.+:/=,-]+", word) else shlex.quote(word)


def _check_packages(value: list[str] | dict[str, str | None]) -> list[str] | dict[str, str | None]:
    names = list(value)
    versions = [v for v in value.values() if v] if isinstance(value, dict) else []
    for word in names:
        if not _PACKAGE_RE.fullmatch(word):
            raise ValueError(
                f"{word!r} is not a package name or version (no whitespace or shell characters such as ; & | $)"
            )
    for word in versions:
        if not _VERSION_RE.fullmatch(word):
            raise ValueError(
                f"{word!r} is not a package name or version (no whitespace or shell characters such as ; & | $)"
            )
    return value


class _Helper(Model):
    packages: list[str] | dict[str, str | None] = []
    """Package names (``["curl"]``, ``["curl=7.88.1-10"]``) or names with pins (``{"curl": "7.88.*"}``)."""
    cache_mount: bool = False
    """Keep the package cache in a BuildKit cache mount instead of cleaning it."""
    extra_args: list[str] = []
    """More options for the install command, written verbatim (e.g. ``["--allow-downgrades"]``)."""

    _sep: ClassVar[str] = "="
    _positional: ClassVar[tuple[str, ...]] = ("packages",)

    _valid = field_validator("packages")(classmethod(lambda cls, v: _check_packages(v)))

    def _pin(self, name: str, version: str) -> str:
        if version[0] in "<>=!~^":
            return f"{name}{version}"
        return f"{name}{self._sep}{version}"

    def package_words(self) -> list[str]:
        """The packages as install arguments (pinned, sorted, shell-quoted)."""
        if isinstance(self.packages, dict):
            words = [self._pin(n, v) if v else n for n, v in self.packages.items()]
        else:
            words = list(self.packages)
        return [_quote(w) for w in sorted(words)]

    def expand(self) -> Run:  # pragma: no cover - every helper overrides it
        raise NotImplementedError

    def _need_packages(self) -> None:
        if not self.packages:
            raise ValueError("give at least one package")


class Apt(_Helper):
    """``apt-get`` (Debian, Ubuntu): update + install in one layer, lists removed (or cache-mounted)."""

    kind: Literal["apt"] = "apt"
    update: bool = True
    """Run ``apt-get update`` first (needed: images ship without package lists)."""
    recommends: bool = False
    """Also install recommended packages (off: ``--no-install-recommends``)."""

    @model_validator(mode="after")
    def _some(self) -> Apt:
        self._need_packages()
        return self

    def expand(self) -> Run:
        install = ["DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y"]
        if not self.recommends:
            install.append("--no-install-recommends")
        install += [*self.extra_args, *self.package_words()]
        steps = ["apt-get update"] if self.update else []
        steps.append(" ".join(install))
        if not self.cache_mount:
            return Run(command=" && ".join([*steps, "rm -rf /var/lib/apt/lists/*"]))
        keep = (
            "rm -f /etc/apt/apt.conf.d/docker-clean",
            "echo 'Binary::apt::APT::Keep-Downloaded-Packages \"true\";' > /etc/apt/apt.conf.d/keep-cache",
        )
        return Run(
            command=" && ".join([*keep, *steps]),
            mounts=[
                CacheMount(target="/var/cache/apt", sharing="locked"),
                CacheMount(target="/var/lib/apt/lists", sharing="locked"),
            ],
        )


class Apk(_Helper):
    """``apk`` (Alpine): ``apk add --no-cache`` (or the cache in a mount at ``/etc/apk/cache``)."""

    kind: Literal["apk"] = "apk"

    @model_validator(mode="after")
    def _some(self) -> Apk:
        self._need_packages()
        return self

    def expand(self) -> Run:
        words = [*self.extra_args, *self.package_words()]
        if not self.cache_mount:
            return Run(command=" ".join(["apk", "add", "--no-cache", *words]))
        return Run(
            command=" ".join(["apk", "add", "--update-cache", *words]),
            mounts=[CacheMount(target="/etc/apk/cache", sharing="locked")],
        )


class Pip(_Helper):
    """``pip install`` with ``--no-cache-dir`` (or ``/root/.cache/pip`` as a cache mount).

    ``requirements`` are requirement files; ``pip`` the command (``"/opt/venv/bin/pip"`` inside a virtualenv,
    ``"python3 -m pip"``); ``break_system_packages`` for a distribution's Python (PEP 668).
    """

    kind: Literal["pip"] = "pip"
    requirements: list[str] = []
    """Requirement files (``-r``), relative to the working directory."""
    pip: str = "pip"
    """The pip command (``"python3 -m pip"``, ``"/opt/venv/bin/pip"``)."""
    venv: str | None = None
    """Create a virtualenv here first (``python3 -m venv``) and install into it (``<venv>/bin/pip``)."""
    python: str = "python3"
    """The interpreter that creates ``venv``."""
    break_system_packages: bool = False
    """``--break-system-packages``: install into a distribution's Python (PEP 668); prefer ``venv``."""
    _sep: ClassVar[str] = "=="

    @field_validator("requirements", mode="before")
    @classmethod
    def _listify(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @model_validator(mode="after")
    def _some(self) -> Pip:
        if not self.packages and not self.requirements:
            raise ValueError("give packages=[...] or requirements='requirements.txt'")
        for text in (self.pip, self.python, self.venv or ""):
            if "\n" in text:
                raise ValueError(f"{text!r} must be one line")
        return self

    def expand(self) -> Run:
        words = [f"{self.venv}/bin/pip" if self.venv else self.pip, "install"]
        if not self.cache_mount:
            words.append("--no-cache-dir")
        if self.break_system_packages:
            words.append("--break-system-packages")
        words += self.extra_args
        for req in self.requirements:
            words += ["-r", _quote(req)]
        words += self.package_words()
        command = " ".join(words)
        if self.venv:
            command = f"{self.python} -m venv {_quote(self.venv)} && {command}"
        if not self.cache_mount:
            return Run(command=command)
        return Run(command=command, mounts=[CacheMount(target="/root/.cache/pip")])


class Npm(_Helper):
    """``npm ci`` from the lockfile (``packages`` given: ``npm install --global``), cache cleaned or mounted."""

    kind: Literal["npm"] = "npm"
    omit_dev: bool = True
    """Skip devDependencies (``--omit=dev``); turn off in a build stage that needs them."""
    ci: bool = True
    """``npm ci`` (exact lockfile install); off: ``npm install``."""
    _sep: ClassVar[str] = "@"

    def expand(self) -> Run:
        if self.packages:
            words = ["npm", "install", "--global", *self.extra_args, *self.package_words()]
        else:
            words = ["npm", "ci" if self.ci else "install"]
            if self.omit_dev:
                words.append("--omit=dev")
            words += self.extra_args
        command = " ".join(words)
        if not self.cache_mount:
            return Run(command=f"{command} && npm cache clean --force")
        return Run(command=command, mounts=[CacheMount(target="/root/.npm")])


class Dnf(_Helper):
    """``dnf install -y`` without weak dependencies, then ``dnf clean all`` (or a cache mount)."""

    kind: Literal["dnf"] = "dnf"
    _tool: ClassVar[str] = "dnf"
    _sep: ClassVar[str] = "-"

    @model_validator(mode="after")
    def _some(self) -> Dnf:
        self._need_packages()
        return self

    def _install_options(self) -> list[str]:
        return ["--setopt=install_weak_deps=False"]

    def expand(self) -> Run:
        tool = self._tool
        words = [tool, "install", "-y", *self._install_options()]
        if self.cache_mount:
            words.append("--setopt=keepcache=1")
        words += [*self.extra_args, *self.package_words()]
        if not self.cache_mount:
            return Run(command=f"{' '.join(words)} && {tool} clean all")
        return Run(
            command=" ".join(words), mounts=[CacheMount(target=f"/var/cache/{tool}", sharing="locked")]
        )


class Yum(Dnf):
    """``yum install -y``, then ``yum clean all`` (or a cache mount)."""

    kind: Literal["yum"] = "yum"  # type: ignore[assignment]
    _tool: ClassVar[str] = "yum"

    def _install_options(self) -> list[str]:
        return []
