from __future__ import annotations

import pytest
from _helpers_b import lines, run
from dockgen_rules.dg107_context_copied_before_dependency_install import (
    ContextCopiedBeforeDependencyInstall,
)

HEAD = "FROM python:3.12-slim\nWORKDIR /app\n"

CATCHES = [
    pytest.param(HEAD + "COPY . .\nRUN pip install -r requirements.txt\n", [3], id="pip"),
    pytest.param(
        HEAD + "COPY . .\nRUN python -m pip install --no-cache-dir -r req.txt\n", [3], id="python-m-pip"
    ),
    pytest.param(HEAD + "COPY ./ /app/\nRUN uv sync --frozen\n", [3], id="uv-sync"),
    pytest.param(HEAD + "COPY . .\nRUN poetry install --no-root\n", [3], id="poetry"),
    pytest.param("FROM node:20\nCOPY . .\nRUN npm ci\n", [2], id="npm-ci"),
    pytest.param("FROM node:20\nCOPY . .\nRUN yarn install --frozen-lockfile\n", [2], id="yarn"),
    pytest.param("FROM golang:1.22\nCOPY . .\nRUN go mod download && go build ./...\n", [2], id="go"),
    pytest.param("FROM ruby:3\nCOPY . .\nRUN bundle install\n", [2], id="bundle"),
    pytest.param(HEAD + "COPY . .\nRUN <<EOF\npip install -r requirements.txt\nEOF\n", [3], id="heredoc"),
]
CLEAN = [
    pytest.param(
        HEAD + "COPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n", id="manifest-first"
    ),
    pytest.param(HEAD + "COPY . .\nRUN pip install .\n", id="installs-the-project"),
    pytest.param("FROM node:20\nCOPY . .\nRUN npm install left-pad\n", id="npm-named-package"),
    pytest.param(HEAD + "COPY src/ src/\nRUN pip install -r requirements.txt\n", id="partial-copy"),
    pytest.param(
        HEAD + "COPY . .\nFROM python:3.12-slim\nRUN pip install -r /r.txt\n", id="install-in-other-stage"
    ),
    pytest.param(
        HEAD + "COPY req.txt .\nRUN pip install -r req.txt\nCOPY . .\nRUN pip install -r req-extra.txt\n",
        id="same-installer-already-ran",
    ),
    pytest.param(HEAD + "COPY --from=build /app .\nRUN pip install -r requirements.txt\n", id="from-stage"),
]


@pytest.mark.parametrize(("text", "expected"), CATCHES)
def test_catches(text: str, expected: list[int]) -> None:
    assert lines(run(ContextCopiedBeforeDependencyInstall, text)) == expected


@pytest.mark.parametrize("text", CLEAN)
def test_does_not_catch(text: str) -> None:
    assert run(ContextCopiedBeforeDependencyInstall, text) == []
