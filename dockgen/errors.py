"""The one exception family a user can meet.

Every error that bad input can cause is a :class:`DockgenError`. Its message says *where* (file:line:col or a
declaration field path), *what* is wrong and *what to do*. The CLI prints ``str(error)`` and exits non-zero; a
traceback is only ever shown for an internal bug.
"""

from __future__ import annotations

import os
import sys

from dockgen._static import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any


class DockgenError(Exception):
    """Base class of every user-facing error.

    ``exit_code`` is what the CLI returns when the error reaches it (1 for user errors, 2 for usage).
    """

    exit_code: int = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(message)

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message}\n  hint: {self.hint}"
        return self.message


class UsageError(DockgenError):
    """Wrong command-line usage (unknown option, missing argument, incompatible flags)."""

    exit_code = 2


class LocatedError(DockgenError):
    """An error at a position in a file: rendered as ``file:line:col: message``."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.column = column
        where = file or "<input>"
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {message}", hint=hint)
        self.reason = message


class ParseError(LocatedError):
    """A Dockerfile could not be parsed."""

    exit_code = 2


class DeclarationError(DockgenError):
    """An image declaration (Python models / build_images.py) is invalid."""


class ConfigError(LocatedError):
    """A dockgen.toml / [tool.dockgen] configuration problem."""

    exit_code = 2


class BuildError(DockgenError):
    """A build failed (names the image, the failing step and the log tail)."""


class RegistryError(DockgenError):
    """A registry refused or failed a request (auth, denied, network, TLS...)."""


class InvalidReferenceError(RegistryError):
    """An image reference (``registry/name:tag@sha256:...``) could not be parsed."""

    exit_code = 2


class ToolMissingError(DockgenError):
    """An optional external tool (hadolint, trivy, cosign, buildx...) is not installed."""


def _report_uncaught(exc_type: type[BaseException], exc: BaseException, tb: Any) -> None:
    """``sys.excepthook`` while dockgen is imported: a :class:`DockgenError` that escapes the program (a
    declaration error at the top of ``build_images.py``, raised before ``dockgen.main`` runs) is reported as
    the CLI reports it — ``error: <where>: <what>`` and the hint, no traceback — and exits with its code.
    Every other exception goes to the previous hook unchanged."""
    if not isinstance(exc, DockgenError):
        _previous_hook(exc_type, exc, tb)
        return
    print(f"error: {exc}", file=sys.stderr)
    if exc.exit_code != 1:  # the interpreter exits with 1 after a hook; keep the documented code
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(exc.exit_code)


_previous_hook = sys.excepthook
