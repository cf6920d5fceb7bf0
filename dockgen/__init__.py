"""dockgen: Dockerfile-as-code for Python teams.

``from dockgen import ...`` is the only import path users need. Names are loaded lazily, so ``import dockgen``
(and the ``dockgen lint`` pre-commit path) does not pay for pydantic or the docker SDK until they are used.
"""

from __future__ import annotations

import importlib
import sys as _sys

from dockgen import errors as _errors
from dockgen._static import TYPE_CHECKING
from dockgen._version import __version__

if TYPE_CHECKING:
    from typing import Any

# A declaration error raised at the top of a build_images.py run as a script (before dockgen.main) is
# reported like the CLI reports it, without a traceback (see dockgen.errors._report_uncaught).
if _sys.excepthook is _sys.__excepthook__:
    _sys.excepthook = _errors._report_uncaught

_LAZY: dict[str, str] = {
    # entry point and errors
    "main": "dockgen.cli",
    "DockgenError": "dockgen.errors",
    # declarations
    **{
        name: "dockgen.models"
        for name in (
            "Add",
            "Apk",
            "Apt",
            "Arg",
            "Attestations",
            "BindMount",
            "BuildSecret",
            "CacheMount",
            "Cmd",
            "CommandCheck",
            "Comment",
            "Copy",
            "Dnf",
            "Entrypoint",
            "Env",
            "Expose",
            "FileCheck",
            "Healthcheck",
            "Heredoc",
            "Image",
            "Instruction",
            "Label",
            "Maintainer",
            "MetadataCheck",
            "Mount",
            "Npm",
            "OnBuild",
            "Pip",
            "PortCheck",
            "Run",
            "SecretMount",
            "Shell",
            "SshMount",
            "Stage",
            "Step",
            "StopSignal",
            "TmpfsMount",
            "User",
            "UserCheck",
            "Volume",
            "Workdir",
            "Yum",
            "validate_images",
            "builder_and_runtime",
        )
    },
    # tags
    **{name: "dockgen.tags" for name in ("TagPolicy", "GitState", "compute_tags", "explain_tags")},
    "image_reference": "dockgen.reference",
    # IR, parsing and rendering
    "Dockerfile": "dockgen.ir",
    "parse_file": "dockgen.parse",
    "parse_text": "dockgen.parse",
    "render_dockerfile": "dockgen.render",
    "render_image": "dockgen.compile",
    # linting (the same engine as `dockgen lint`)
    "Linter": "dockgen.lint.engine",
    "LintConfig": "dockgen.lint.config",
    "lint_paths": "dockgen.lint.engine",
    "lint_images": "dockgen.compile",
}

__all__ = sorted([*_LAZY, "__version__"])


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'dockgen' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs
    from dockgen.cli import main
    from dockgen.compile import lint_images, render_image
    from dockgen.errors import DockgenError
    from dockgen.ir import Dockerfile
    from dockgen.lint.config import LintConfig
    from dockgen.lint.engine import Linter, lint_paths
    from dockgen.models import (
        Add,
        Apk,
        Apt,
        Arg,
        Attestations,
        BindMount,
        BuildSecret,
        CacheMount,
        Cmd,
        CommandCheck,
        Comment,
        Copy,
        Dnf,
        Entrypoint,
        Env,
        Expose,
        FileCheck,
        Healthcheck,
        Heredoc,
        Image,
        Instruction,
        Label,
        Maintainer,
        MetadataCheck,
        Mount,
        Npm,
        OnBuild,
        Pip,
        PortCheck,
        Run,
        SecretMount,
        Shell,
        SshMount,
        Stage,
        Step,
        StopSignal,
        TmpfsMount,
        User,
        UserCheck,
        Volume,
        Workdir,
        Yum,
        builder_and_runtime,
        validate_images,
    )
    from dockgen.parse import parse_file, parse_text
    from dockgen.reference import image_reference
    from dockgen.render import render_dockerfile
    from dockgen.tags import GitState, TagPolicy, compute_tags, explain_tags
