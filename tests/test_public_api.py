"""The public surface: everything users import comes from ``dockgen`` and resolves."""

from __future__ import annotations

import subprocess
import sys

import pytest

import dockgen


def test_every_export_resolves() -> None:
    for name in dockgen.__all__:
        assert getattr(dockgen, name) is not None, name


def test_unknown_attribute_is_an_attribute_error() -> None:
    try:
        dockgen.no_such_name  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("expected AttributeError")


def test_import_is_cheap() -> None:
    """``import dockgen`` must not drag in pydantic or the docker SDK (pre-commit start-up time)."""
    code = "import sys, dockgen; print(sorted(m for m in ('pydantic', 'docker', 'jinja2', 'requests') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def _type_checking_imports() -> dict[str, str]:
    """``name -> module`` of the imports under ``if TYPE_CHECKING:`` in ``dockgen/__init__.py``."""
    import ast
    from pathlib import Path

    tree = ast.parse(Path(dockgen.__file__).read_text(encoding="utf-8"))
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for stmt in node.body:
                assert isinstance(stmt, ast.ImportFrom) and stmt.module, ast.dump(stmt)
                if stmt.module == "typing":  # annotations of the module itself, not exports
                    continue
                for alias in stmt.names:
                    found[alias.asname or alias.name] = stmt.module
    return found


def test_lazy_names_and_type_checking_imports_agree() -> None:
    """The lazy table is the one list of public names; what type checkers see must be the same names from the
    same modules, so an export cannot resolve at run time and be missing (or different) for mypy and IDEs."""
    lazy = dict(dockgen._LAZY)
    assert _type_checking_imports() == lazy
    assert sorted(dockgen.__all__) == sorted([*lazy, "__version__"])


def test_declarations_own_the_short_names() -> None:
    """``dockgen.Stage`` and ``dockgen.Instruction`` are the declaration models; the IR's classes have names of
    their own, ``dockgen.ir.IRStage`` / ``dockgen.ir.IRInstruction``."""
    from dockgen import ir, models

    assert dockgen.Stage is models.Stage
    assert dockgen.Instruction is models.Instruction
    assert dockgen.Stage is not ir.IRStage
    assert dockgen.Instruction is not ir.IRInstruction
    assert dockgen.Dockerfile is ir.Dockerfile
    assert "Stage" not in vars(ir) and "Instruction" not in vars(ir)


def test_former_ir_names_still_import_with_a_warning() -> None:
    """Rule packs written against ``from dockgen.ir import Instruction, Stage`` keep working, warned."""
    from dockgen import ir

    with pytest.warns(
        DeprecationWarning, match=r"dockgen\.ir\.Instruction is deprecated: use dockgen\.ir\.IRInstruction"
    ):
        from dockgen.ir import Instruction
    with pytest.warns(DeprecationWarning, match=r"dockgen\.ir\.IRStage"):
        stage = ir.Stage
    assert Instruction is ir.IRInstruction
    assert stage is ir.IRStage
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        ir.Nope  # noqa: B018


def test_lint_api_is_public() -> None:
    from dockgen.compile import lint_images
    from dockgen.lint.config import LintConfig
    from dockgen.lint.engine import Linter, lint_paths

    assert (dockgen.lint_paths, dockgen.lint_images, dockgen.Linter, dockgen.LintConfig) == (
        lint_paths,
        lint_images,
        Linter,
        LintConfig,
    )
