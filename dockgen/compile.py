"""The pipeline, composed: declarations -> IR -> fixpoint of lint + fix -> Dockerfile text.

Each pass is a pure function of its input and knows nothing of the others: :mod:`dockgen.lower` (declarations
-> IR), :mod:`dockgen.lint.engine` (IR -> findings), :mod:`dockgen.lint.fix` (findings -> fixed IR, through its
one fixpoint loop) and :mod:`dockgen.render` (IR -> text). This module is the one place that wires them
together, for ``dockgen render``, the builders and ``dockgen import``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from dockgen import _record
from dockgen.ir import Dockerfile
from dockgen.lint.config import LintConfig, find_config, load_config
from dockgen.lint.engine import Linter, LintReport, lint_dockerfile
from dockgen.lint.fix import fixpoint
from dockgen.lint.registry import RuleSet
from dockgen.lint.rule import Finding
from dockgen.lower import lower
from dockgen.render import default_header, render_dockerfile, render_instruction

if TYPE_CHECKING:
    from dockgen.models import Image

__all__ = ["declaration_lines", "fix_dockerfile_ir", "lint_images", "project_config", "render_image"]


def fix_dockerfile_ir(
    df: Dockerfile,
    config: LintConfig | None = None,
    *,
    unsafe: bool = False,
    ruleset: RuleSet | None = None,
    from_declaration: bool = True,
    context_dir: Path | None = None,
) -> Dockerfile:
    """Apply every (safe, or also unsafe) fix to ``df`` until nothing changes; returns the fixed IR.

    ``config`` is a :class:`~dockgen.lint.config.LintConfig` (default: the default rules); rendering calls
    this so that rendered Dockerfiles are clean by construction.
    """

    def lint(current: Dockerfile) -> list[Finding]:
        return lint_dockerfile(
            current, config, context_dir, from_declaration=from_declaration, ruleset=ruleset
        )

    return fixpoint(df, lint, unsafe=unsafe).dockerfile


def project_config(source: str | None) -> LintConfig | None:
    """The lint configuration found from the directory of the build file ``source`` (None: defaults)."""
    if not source:
        return None
    found = find_config(Path(source).resolve().parent)
    return load_config(found) if found is not None else None


def render_image(
    image: Image,
    *,
    source: str | None = None,
    base_overrides: Mapping[str, str] | None = None,
    optimize: bool = True,
) -> str:
    """Lower and render a declared :class:`~dockgen.models.Image`, with the generated-file header.

    With ``optimize`` (the default) the lint rules' safe fixes are applied to the lowered IR first, so a
    rendered Dockerfile is clean by construction. Rules ignored in the project's lint configuration
    (``[tool.dockgen]`` / ``dockgen.toml`` found from the build file's directory) are not applied.
    """
    df = lower(image, base_overrides=base_overrides, source=source)
    if optimize:
        df = fix_dockerfile_ir(df, project_config(source))
    return render_dockerfile(df, header=default_header(source, image.name))


def lint_images(
    images: Sequence[Image],
    config: LintConfig | None = None,
    *,
    ruleset: RuleSet | None = None,
    linter: Linter | None = None,
    build_file: Path | None = None,
) -> LintReport:
    """Lint declared images as ``dockgen render`` writes them: lowered to IR, the same safe fixes applied
    (``render`` joins an Apt step and the Run after it, so DG019 is not a finding of the declaration), then
    linted with ``from_declaration=True`` and located at the declaring step of the build file."""
    use = linter or Linter(ruleset, config=config)
    cfg = use.config_for(build_file or Path.cwd() / "build_images.py")
    lowered = [
        (image.name, str(image.context or "."), fix_dockerfile_ir(lower(image), cfg, ruleset=use.ruleset))
        for image in images
    ]
    return use.lint_declared(lowered, build_file=build_file)


def declaration_lines(
    image: Image, *, source: str | None = None, base_overrides: Mapping[str, str] | None = None
) -> dict[int, str]:
    """Rendered Dockerfile line -> ``file:line`` of the declaration it comes from (``build_images.py:14``).

    Every line of an instruction maps to the step (``Run(...)``, ``Apt(...)``), stage or image that produced
    it, so that a build error at ``Dockerfile:8`` can name the line of ``build_images.py`` to look at.
    """
    df = lower(image, base_overrides=base_overrides, source=source)
    df = fix_dockerfile_ir(df, project_config(source))
    text = render_dockerfile(df, header=default_header(source, image.name)).splitlines()
    out: dict[int, str] = {}
    at = 0
    for ins in df.instructions:
        rendered = render_instruction(_record.replace(ins, comments=())).rstrip("\n").splitlines()
        if not rendered:
            continue
        try:
            start = text.index(rendered[0], at)
        except ValueError:
            continue
        at = start + len(rendered)
        span = ins.span
        if span is None or span.file is None:
            continue
        try:
            shown = os.path.relpath(span.file) if Path(span.file).is_absolute() else span.file
        except ValueError:
            shown = span.file
        for n in range(start + 1, at + 1):
            out[n] = f"{shown}:{span.start_line}"
    return out
