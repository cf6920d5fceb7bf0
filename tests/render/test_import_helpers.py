"""``dockgen import`` turns recognised package installs into Apt/Apk/Pip/Npm helpers.

The helpers render best-practice RUNs, so the text differs from the original; what must hold: the declaration
renders, the rendered Dockerfile has no package-rule findings left on the helper RUNs, and every image installs
the same packages (names and pins) with the same managers as the original. ``--literal`` keeps plain Runs (its
round trip is structural, see test_roundtrip.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dockgen.cli import main
from dockgen.compile import render_image
from dockgen.errors import ParseError
from dockgen.importer import image_from_dockerfile, to_python
from dockgen.lint.engine import lint_dockerfile
from dockgen.models import Apk, Apt, Npm, Pip, Run
from dockgen.parse import parse_file, parse_text
from dockgen.shell.syntax import commands

CORPUS = sorted((Path(__file__).parent.parent / "corpus").glob("*"))
NOT_DECLARABLE = {"duplicate-stage.Dockerfile", "reserved-stage.Dockerfile", "expose-bad.Dockerfile"}
PACKAGE_RULES = {"DG035", "DG037", "DG038", "DG047", "DG048", "DG049", "DG050", "DG052"}
BASE = "FROM debian:bookworm-slim\n"

# (id, Dockerfile, expected steps as (type, fields) - fields compared as given)
HELPERS: list[tuple[str, str, list[tuple[type[Any], dict[str, Any]]]]] = [
    (
        "apt-full",
        BASE + "RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10 jq "
        "&& rm -rf /var/lib/apt/lists/*\n",
        [(Apt, {"packages": ["curl=7.88.1-10", "jq"], "recommends": False, "update": True})],
    ),
    (
        "apt-recommends-kept",
        BASE + "RUN apt-get update && apt-get install -y curl\n",
        [(Apt, {"packages": ["curl"], "recommends": True})],
    ),
    (
        "apt-separate-update-merged",
        BASE + "RUN apt-get update\nRUN apt-get install -y curl\n",
        [(Apt, {"packages": ["curl"], "update": True})],
    ),
    (
        "apt-then-rest",
        BASE + "RUN apt-get update && apt-get install -y curl && curl -V\n",
        [(Apt, {"packages": ["curl"]}), (Run, {"command": "curl -V"})],
    ),
    (
        "apt-noninteractive",
        BASE + "RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -yq tzdata\n",
        [(Apt, {"packages": ["tzdata"]})],
    ),
    (
        "apk",
        "FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0 jq\n",
        [(Apk, {"packages": ["curl=8.9.1-r0", "jq"]})],
    ),
    (
        "pip",
        "FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt flask==3.0.3\n",
        [(Pip, {"requirements": ["requirements.txt"], "packages": ["flask==3.0.3"]})],
    ),
    (
        "pip-venv",
        BASE + "RUN python3 -m venv /venv && /venv/bin/pip install -r requirements.txt\n",
        [(Pip, {"venv": "/venv", "requirements": ["requirements.txt"]})],
    ),
    (
        "apt-later-install-needs-lists",
        BASE + "RUN apt-get update && apt-get install -y curl\nRUN apt-get install -y jq\n",
        [
            (Run, {"command": "apt-get update && apt-get install -y curl"}),
            (Apt, {"packages": ["jq"], "update": False}),
        ],
    ),
    ("npm-ci", "FROM node:20\nRUN npm ci --omit=dev\n", [(Npm, {"ci": True, "omit_dev": True})]),
    ("npm-install", "FROM node:20\nRUN npm install\n", [(Npm, {"ci": False, "omit_dev": False})]),
]

# RUNs that stay plain: not exactly what a helper writes
PLAIN = [
    pytest.param(
        BASE + "RUN apt-get update && apt-get install -y -t bookworm-backports curl\n", id="apt-extra-flag"
    ),
    pytest.param(BASE + "RUN apt-get install curl\n", id="apt-without-yes"),
    pytest.param(BASE + "RUN apt-get update && apt-get install -y curl || true\n", id="apt-or"),
    pytest.param(BASE + "RUN echo hi && apt-get update && apt-get install -y curl\n", id="apt-not-first"),
    pytest.param("FROM alpine:3.20\nRUN apk add curl\n", id="apk-with-cache"),
    pytest.param("FROM python:3.12-slim\nRUN pip install -e .\n", id="pip-editable"),
    pytest.param("FROM python:3.12-slim\nRUN pip install --upgrade pip\n", id="pip-extra-flag"),
    pytest.param("FROM python:3.12-slim\nRUN pip install ./wheels/x.whl\n", id="pip-local-path"),
    pytest.param("FROM node:20\nRUN npm ci --ignore-scripts\n", id="npm-extra-flag"),
    pytest.param(
        BASE + "RUN --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y x\n",
        id="run-flags",
    ),
]


def _steps(text: str) -> list[Any]:
    image = image_from_dockerfile(parse_text(text), name="x")
    return list(image.stages[0].steps)


@pytest.mark.parametrize(("text", "expected"), [pytest.param(t, e, id=i) for i, t, e in HELPERS])
def test_helpers(text: str, expected: list[tuple[type[Any], dict[str, Any]]]) -> None:
    steps = _steps(text)
    assert [type(s) for s in steps] == [t for t, _ in expected]
    for step, (_, fields) in zip(steps, expected, strict=True):
        for key, value in fields.items():
            assert getattr(step, key) == value, (key, step)
    rendered = render_image(image_from_dockerfile(parse_text(text), name="x"), source=None)
    left = [
        f.code
        for f in lint_dockerfile(parse_text(rendered), from_declaration=True)
        if f.code in PACKAGE_RULES
    ]
    assert left == [], rendered
    assert _packages(parse_text(rendered)) == _packages(parse_text(text))


@pytest.mark.parametrize("text", PLAIN)
def test_plain_runs_kept(text: str) -> None:
    assert not any(type(s) in (Apt, Apk, Pip, Npm) for s in _steps(text))


def test_literal_keeps_runs() -> None:
    df = parse_text(BASE + "RUN apt-get update && apt-get install -y curl\n")
    assert "Apt(" in to_python(df, name="x")
    assert "Apt(" not in to_python(df, name="x", literal=True)


def _packages(df: Any) -> set[tuple[str, str]]:
    """(manager, package or requirements file) installed by every RUN."""
    out: set[tuple[str, str]] = set()
    for ins in df.instructions:
        if ins.keyword != "RUN" or ins.is_exec:
            continue
        for cmd in commands(ins.command):
            words = [w.text for w in cmd.words]
            if not words:
                continue
            name = words[0].rsplit("/", 1)[-1]
            rest = words[1:]
            if name in ("python3", "python") and rest[:2] == ["-m", "pip"]:
                name, rest = "pip", rest[2:]
            if name in ("apt-get", "apt") and rest[:1] == ["install"]:
                out |= {("apt", w) for w in rest[1:] if not w.startswith("-")}
            elif name == "apk" and rest[:1] == ["add"]:
                out |= {("apk", w) for w in rest[1:] if not w.startswith("-")}
            elif name.startswith("pip") and rest[:1] == ["install"]:
                out |= {("pip", w) for w in rest[1:] if not w.startswith("-")}
            elif name == "npm" and rest[:1] in (["ci"], ["install"]):
                out.add(("npm", "lockfile"))
    return out


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_import_keeps_packages(path: Path) -> None:
    """Every corpus Dockerfile: the default import renders, and installs the same packages."""
    try:
        df = parse_file(path)
    except ParseError:
        pytest.skip("not parseable (a parse-error fixture)")
    if path.name in NOT_DECLARABLE:
        return
    namespace: dict[str, object] = {"__name__": "imported_build_file"}
    exec(compile(to_python(df, name="imported"), f"{path.name}.py", "exec"), namespace)
    images = namespace["images"]
    assert isinstance(images, list)
    text = render_image(images[0], source=None)
    assert _packages(parse_text(text)) == _packages(df)


def test_import_command_literal_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(BASE + "RUN apt-get update\nRUN apt-get install -y curl\n", encoding="utf-8")
    assert main(argv=["import", str(dockerfile)]) == 0
    assert "Apt(['curl'], recommends=True)" in capsys.readouterr().out.replace('"', "'")
    assert main(argv=["import", "--literal", str(dockerfile)]) == 0
    out = capsys.readouterr().out
    assert "Apt(" not in out and "Run('apt-get update')" in out.replace('"', "'")
