from __future__ import annotations

from pathlib import Path

import pytest
from _helpers import fixed, lines, make_context, run
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


# ---- the fix -------------------------------------------------------------------------------------------------

REQ = {"requirements.txt": "flask==3.0.3\n", "app.py": ""}
PKG = {"package.json": '{"name": "a", "dependencies": {"ms": "2.1.3"}}\n', "package-lock.json": "{}\n"}

# (id, context files, Dockerfile, expected after the fix, expected safety)
FIXES = [
    (
        "pip",
        REQ,
        HEAD + "COPY . .\nRUN pip install --no-cache-dir -r requirements.txt\nCMD python app.py\n",
        HEAD + "COPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"
        "CMD python app.py\n",
        True,
    ),
    (
        "pip-flags-kept-abs-dest",
        REQ,
        HEAD + "COPY --chown=10001:10001 --link . /app\nRUN pip install -r requirements.txt\n",
        HEAD + "COPY --chown=10001:10001 --link requirements.txt /app/\nRUN pip install -r requirements.txt\n"
        "COPY --chown=10001:10001 --link . /app\n",
        True,
    ),
    (
        "pip-nested-and-constraints",
        {
            "requirements/prod.txt": "-r base.txt\nflask\n",
            "requirements/base.txt": "-c ../constraints.txt\nrequests\n",
            "constraints.txt": "requests==2.32.3\n",
        },
        HEAD + "COPY . .\nRUN pip install -r requirements/prod.txt\n",
        HEAD + "COPY requirements/prod.txt requirements/base.txt requirements/\nCOPY constraints.txt .\n"
        "RUN pip install -r requirements/prod.txt\nCOPY . .\n",
        True,
    ),
    (
        "pip-venv-in-same-run",
        REQ,
        HEAD + "COPY . .\nRUN python3 -m venv /venv && /venv/bin/pip install -r requirements.txt\n",
        HEAD
        + "COPY requirements.txt .\nRUN python3 -m venv /venv && /venv/bin/pip install -r requirements.txt\n"
        "COPY . .\n",
        True,
    ),
    (
        "pip-editable-line-unsafe",
        {"requirements.txt": "-e ./lib\nflask\n", "lib/setup.py": ""},
        HEAD + "COPY . .\nRUN pip install -r requirements.txt\n",
        HEAD + "COPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n",
        False,
    ),
    (
        "npm-ci",
        PKG,
        "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n",
        "FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\n",
        True,
    ),
    (
        "npm-postinstall-unsafe",
        {"package.json": '{"scripts": {"postinstall": "node build.js"}}\n'},
        "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm install\n",
        "FROM node:20\nWORKDIR /app\nCOPY package.json .\nRUN npm install\nCOPY . .\n",
        False,
    ),
    (
        "npm-node-modules-in-context-unsafe",
        {**PKG, "node_modules/ms/index.js": ""},
        "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n",
        "FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\n",
        False,
    ),
    (
        "npm-node-modules-ignored-safe",
        {**PKG, "node_modules/ms/index.js": "", ".dockerignore": "node_modules\n"},
        "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n",
        "FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\n",
        True,
    ),
    (
        "npm-ignored-optional-manifest-left-out",
        {**PKG, ".npmrc": "registry=https://r.example/\n", ".dockerignore": ".npmrc\n"},
        "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n",
        "FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\n",
        True,
    ),
    (
        "npm-npmrc-copied",
        {**PKG, ".npmrc": "registry=https://r.example/\n"},
        "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n",
        "FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json .npmrc ./\nRUN npm ci\nCOPY . .\n",
        True,
    ),
    (
        "go",
        {"go.mod": "module x\n\ngo 1.22\n", "go.sum": ""},
        "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go mod download\n",
        "FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\n",
        True,
    ),
    (
        "go-local-replace-unsafe",
        {"go.mod": "module x\n\nreplace y => ./y\n"},
        "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go mod download\n",
        "FROM golang:1.22\nWORKDIR /src\nCOPY go.mod .\nRUN go mod download\nCOPY . .\n",
        False,
    ),
    (
        "bundle",
        {"Gemfile": "source 'https://rubygems.org'\ngem 'rack'\n", "Gemfile.lock": ""},
        "FROM ruby:3\nWORKDIR /app\nCOPY . .\nRUN bundle install\n",
        "FROM ruby:3\nWORKDIR /app\nCOPY Gemfile Gemfile.lock ./\nRUN bundle install\nCOPY . .\n",
        True,
    ),
    (
        "bundle-gemspec-unsafe",
        {"Gemfile": "gemspec\n"},
        "FROM ruby:3\nWORKDIR /app\nCOPY . .\nRUN bundle install\n",
        "FROM ruby:3\nWORKDIR /app\nCOPY Gemfile .\nRUN bundle install\nCOPY . .\n",
        False,
    ),
    (
        "poetry-no-root",
        {"pyproject.toml": "[tool.poetry]\nname = 'x'\n", "poetry.lock": ""},
        HEAD + "COPY . .\nRUN poetry install --no-root\n",
        HEAD + "COPY pyproject.toml poetry.lock ./\nRUN poetry install --no-root\nCOPY . .\n",
        True,
    ),
    (
        "uv-no-install-project",
        {"pyproject.toml": "[project]\nname = 'x'\n", "uv.lock": ""},
        HEAD + "COPY . .\nRUN uv sync --frozen --no-install-project\n",
        HEAD + "COPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-install-project\nCOPY . .\n",
        True,
    ),
    (
        "comment-stays-above",
        REQ,
        HEAD + "# the app\nCOPY . .\nRUN pip install -r requirements.txt\n",
        HEAD + "# the app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n",
        True,
    ),
]


@pytest.mark.parametrize(("files", "before", "after", "safe"), [pytest.param(*f[1:], id=f[0]) for f in FIXES])
def test_fix(tmp_path: Path, files: dict[str, str], before: str, after: str, safe: bool) -> None:
    root = make_context(tmp_path / "ctx", files)
    findings = run(ContextCopiedBeforeDependencyInstall, before, context_dir=root)
    assert len(findings) == 1 and findings[0].fix is not None
    assert findings[0].fix.safe is safe
    assert fixed(ContextCopiedBeforeDependencyInstall, before, context_dir=root) == after
    assert run(ContextCopiedBeforeDependencyInstall, after, context_dir=root) == []


# Without a context the manifests cannot be checked: the fix copies patterns and is unsafe.
NO_CONTEXT = [
    pytest.param(
        "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n",
        "FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\n",
        id="npm",
    ),
    pytest.param(
        "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go mod download\n",
        "FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum* ./\nRUN go mod download\nCOPY . .\n",
        id="go",
    ),
    pytest.param(
        HEAD + "COPY . .\nRUN pip install -r requirements.txt\n",
        HEAD + "COPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n",
        id="pip",
    ),
]


@pytest.mark.parametrize(("before", "after"), NO_CONTEXT)
def test_fix_without_context_is_unsafe(before: str, after: str) -> None:
    (finding,) = run(ContextCopiedBeforeDependencyInstall, before)
    assert finding.fix is not None and not finding.fix.safe
    assert fixed(ContextCopiedBeforeDependencyInstall, before) == after
    assert fixed(ContextCopiedBeforeDependencyInstall, before, unsafe=False) == before


# Flagged, but no fix: the install needs more than the manifests, or the layout is not one the fix handles.
NO_FIX = [
    ("project-install", REQ, HEAD + "COPY . .\nRUN pip install -r requirements.txt && pip install .\n"),
    (
        "build-in-same-run",
        {"go.mod": "module x\n"},
        HEAD + "COPY . .\nRUN go mod download && go build ./...\n",
    ),
    ("not-adjacent", REQ, HEAD + "COPY . .\nRUN echo hi\nRUN pip install -r requirements.txt\n"),
    ("manifest-missing", {"app.py": ""}, HEAD + "COPY . .\nRUN pip install -r requirements.txt\n"),
    (
        "manifest-ignored",
        {**REQ, ".dockerignore": "requirements.txt\n"},
        HEAD + "COPY . .\nRUN pip install -r requirements.txt\n",
    ),
    (
        "poetry-installs-root",
        {"pyproject.toml": "", "poetry.lock": ""},
        HEAD + "COPY . .\nRUN poetry install\n",
    ),
    ("yarn-cwd", PKG, "FROM node:20\nCOPY . /app\nRUN yarn install --cwd /app\n"),
    ("excluding-copy", REQ, HEAD + "COPY --exclude=*.md . .\nRUN pip install -r requirements.txt\n"),
]


@pytest.mark.parametrize(("files", "text"), [pytest.param(f, t, id=i) for i, f, t in NO_FIX])
def test_flagged_without_fix(tmp_path: Path, files: dict[str, str], text: str) -> None:
    root = make_context(tmp_path / "ctx", files)
    (finding,) = run(ContextCopiedBeforeDependencyInstall, text, context_dir=root)
    assert finding.fix is None


def test_no_fix_when_the_install_compiles_the_projects_own_addon(tmp_path: Path) -> None:
    ctx = make_context(tmp_path, {**PKG, "binding.gyp": "{}\n", "addon.c": ""})
    text = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n"
    (finding,) = run(ContextCopiedBeforeDependencyInstall, text, context_dir=ctx)
    assert finding.fix is None
