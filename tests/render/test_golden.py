"""Golden files: tests/render/golden/<name>.Dockerfile rendered must equal <name>.expected byte for byte.

Regenerate after an intended formatting change with ``DOCKGEN_UPDATE_GOLDEN=1 pytest tests/render/test_golden.py``
and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dockgen.parse import parse_file, parse_text
from dockgen.render import normalize, render_dockerfile

GOLDEN = Path(__file__).parent / "golden"
INPUTS = sorted(GOLDEN.glob("*.Dockerfile"))


def test_there_are_golden_files() -> None:
    assert len(INPUTS) >= 5


@pytest.mark.parametrize("path", INPUTS, ids=[p.stem for p in INPUTS])
def test_golden(path: Path) -> None:
    df = parse_file(path)
    text = render_dockerfile(df)
    expected = path.with_suffix(".expected")
    if os.environ.get("DOCKGEN_UPDATE_GOLDEN"):
        expected.write_text(text, encoding="utf-8")
    assert text == expected.read_text(encoding="utf-8")
    # the semantics did not change
    assert normalize(parse_text(text)) == normalize(df)
