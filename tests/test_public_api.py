"""The public surface: everything users import comes from ``dockgen`` and resolves."""

from __future__ import annotations

import subprocess
import sys

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
