"""Round trips over the Dockerfile corpus (tests/corpus): render, and import -> exec -> render.

* ``normalize(parse(render(df))) == normalize(df)``: rendering changes nothing but blanks inside shell-form
  commands (see dockgen.render.normalize);
* rendering is idempotent: ``render(parse(render(df))) == render(df)``;
* ``dockgen import --literal`` gives Python that, executed and rendered, parses to the same build semantics
  (``dockgen.importer.semantic_form``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dockgen.compile import render_image
from dockgen.errors import DeclarationError, ParseError
from dockgen.importer import semantic_form, to_python
from dockgen.parse import parse_file, parse_text
from dockgen.render import normalize, render_dockerfile

CORPUS = sorted((Path(__file__).parent.parent / "corpus").glob("*"))

#: Dockerfiles BuildKit itself rejects, which dockgen's declarations refuse to express.
NOT_DECLARABLE = {
    "duplicate-stage.Dockerfile": "duplicate stage name",
    "reserved-stage.Dockerfile": "reserved",
    "expose-bad.Dockerfile": r"EXPOSE: .*70000.* is outside 0\.\.65535",  # BuildKit: invalid containerPort
}


def _parsed(path: Path):  # type: ignore[no-untyped-def]
    try:
        return parse_file(path)
    except ParseError:
        pytest.skip("not parseable (a parse-error fixture)")


def test_corpus_is_there() -> None:
    assert len(CORPUS) >= 100


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_render_round_trip(path: Path) -> None:
    df = _parsed(path)
    text = render_dockerfile(df)
    again = parse_text(text)
    assert normalize(again) == normalize(df)
    assert render_dockerfile(again) == text


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_import_round_trip(path: Path) -> None:
    df = _parsed(path)
    if path.name in NOT_DECLARABLE:
        with pytest.raises(DeclarationError, match=NOT_DECLARABLE[path.name]):
            to_python(df)
        return
    source = to_python(df, name="imported", literal=True)
    namespace: dict[str, object] = {"__name__": "imported_build_file"}
    exec(compile(source, f"{path.name}.py", "exec"), namespace)
    images = namespace["images"]
    assert isinstance(images, list) and len(images) == 1
    # structural comparison: without the optimizer, which rewrites instructions on purpose (tested below)
    text = render_image(images[0], source="build_images.py", optimize=False)
    assert semantic_form(parse_text(text)) == semantic_form(df)


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_optimized_render_has_no_fixable_findings_left(path: Path) -> None:
    """Rendering applies every safe fix: what remains has no safe fix to offer."""
    from dockgen.lint.engine import lint_dockerfile

    df = _parsed(path)
    if path.name in NOT_DECLARABLE:
        return
    namespace: dict[str, object] = {"__name__": "imported_build_file"}
    exec(compile(to_python(df, name="imported"), f"{path.name}.py", "exec"), namespace)
    images = namespace["images"]
    assert isinstance(images, list)
    text = render_image(images[0], source=None)
    findings = lint_dockerfile(parse_text(text), from_declaration=True)
    assert [f.code for f in findings if f.fix is not None and f.fix.safe] == []
