"""Every example under examples/ declares valid images whose committed Dockerfiles are fresh.

Building and running them is tested with the build engine (tests/builders); here: they load, validate, render
deterministically, their generated files are up to date, and their Dockerfiles parse back to what dockgen
lowered.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dockgen.cli import load_build_file, main
from dockgen.lower import lower
from dockgen.models import Image, validate_images
from dockgen.parse import parse_file
from dockgen.render import normalize

EXAMPLES = Path(__file__).parent.parent / "examples"
BUILD_FILES = sorted(EXAMPLES.glob("*/build_images.py"))


def test_the_examples_exist() -> None:
    assert {p.parent.name for p in BUILD_FILES} >= {"node-app", "python-web", "go-service", "monorepo"}


@pytest.mark.parametrize("build_file", BUILD_FILES, ids=[p.parent.name for p in BUILD_FILES])
def test_example_renders_and_is_fresh(
    build_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    images = validate_images(load_build_file(build_file), source=str(build_file))
    assert images and all(isinstance(i, Image) for i in images)
    monkeypatch.chdir(build_file.parent)
    rc = main(argv=["render", "--check"])
    assert rc == 0, capsys.readouterr().out
    for image in images:
        committed = parse_file(build_file.parent / image.dockerfile_path)
        assert normalize(committed).instructions == normalize(lower(image)).instructions
        assert (build_file.parent / image.dockerignore_path).is_file()
        assert (build_file.parent / image.context).is_dir()


@pytest.mark.parametrize("build_file", BUILD_FILES, ids=[p.parent.name for p in BUILD_FILES])
def test_example_has_a_readme_and_no_docker_hub_only_base(build_file: Path) -> None:
    readme = build_file.parent / "README.md"
    assert readme.is_file()
    assert "base image" in readme.read_text().lower()
    for image in validate_images(load_build_file(build_file)):
        lowered = lower(image)
        for stage in lowered.stages:
            base = stage.base
            names = {s.name for s in lowered.stages if s.name}
            project = {i.name for i in validate_images(load_build_file(build_file))}
            assert (
                base in names
                or base == "scratch"
                or base.startswith("${")
                or base.rsplit("/", 1)[-1].split(":")[0] in project
            ), f"{image.name}: FROM {base} would need a registry the test infrastructure does not have"


@pytest.mark.parametrize("build_file", BUILD_FILES, ids=[p.parent.name for p in BUILD_FILES])
def test_example_lints_clean(
    build_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Rendered Dockerfiles are clean by construction: the declarations and the committed files lint clean."""
    monkeypatch.chdir(build_file.parent)
    rc = main(argv=["lint"])
    out = capsys.readouterr().out
    assert rc == 0, out
    dockerfiles = sorted(build_file.parent.rglob("Dockerfile"))
    assert dockerfiles
    rc = main(argv=["lint", *map(str, dockerfiles)])
    out = capsys.readouterr().out
    assert rc == 0, out
