"""Round trips over the Dockerfile corpus (tests/corpus): render, and import -> exec -> render.

* ``normalize(parse(render(df))) == normalize(df)``: rendering changes nothing but blanks inside shell-form
  commands (see dockgen.render.normalize);
* rendering is idempotent: ``render(parse(render(df))) == render(df)``;
* ``dockgen import`` gives Python that, executed and rendered, parses to the same build semantics
  (``dockgen.importer.semantic_form``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dockgen.errors import DeclarationError, ParseError
from dockgen.importer import semantic_form, to_python
from dockgen.parse import parse_file, parse_text
from dockgen.render import normalize, render_dockerfile, render_image

CORPUS = sorted((Path(__file__).parent.parent / "corpus").glob("*"))

#: Dockerfiles BuildKit itself rejects, which dockgen's declarations refuse to express.
NOT_DECLARABLE = {
    "duplicate-stage.Dockerfile": "duplicate stage name",
    "reserved-stage.Dockerfile": "reserved",
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
    source = to_python(df, name="imported")
    namespace: dict[str, object] = {"__name__": "imported_build_file"}
    exec(compile(source, f"{path.name}.py", "exec"), namespace)
    images = namespace["images"]
    assert isinstance(images, list) and len(images) == 1
    text = render_image(images[0], source="build_images.py")
    assert semantic_form(parse_text(text)) == semantic_form(df)
