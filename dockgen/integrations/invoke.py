"""invoke tasks for dockgen: ``lint``, ``render``, ``build``, ``push``, ``plan``, ``tags``.

Nothing is registered at import time. In a project's ``tasks.py``::

    from invoke import Collection
    from dockgen.integrations.invoke import collection

    ns = Collection()
    ns.add_collection(collection, name="images")
    ns.configure({"dockgen": {"file": "build_images.py", "env": "staging", "jobs": 4}})

then ``invoke images.build --push``. Every task is a thin shell over the same ``dockgen`` command (run
in-process); a non-zero exit code becomes ``invoke.exceptions.Exit`` with that code.

Configuration keys under ``dockgen`` (all optional): ``file`` (build file), ``env``, ``version``, ``jobs``,
``platform``, ``backend``, ``builder``, ``lint_format``.
"""

from __future__ import annotations

from typing import Any

from invoke.collection import Collection
from invoke.context import Context
from invoke.exceptions import Exit
from invoke.tasks import task

from dockgen.cli import main

__all__ = ["build", "collection", "lint", "make_collection", "plan", "push", "render", "tags", "test"]


def _cfg(c: Context) -> dict[str, Any]:
    raw = c.config.get("dockgen", {}) if hasattr(c, "config") else {}
    return dict(raw) if raw else {}


def _run(c: Context, argv: list[str]) -> None:
    cfg = _cfg(c)
    full = (["--file", str(cfg["file"])] if cfg.get("file") else []) + argv
    rc = main(argv=full)
    if rc != 0:
        raise Exit(code=rc)


def _common(c: Context, *, version: str | None, env: str | None, image: list[str] | None) -> list[str]:
    cfg = _cfg(c)
    out: list[str] = []
    if version or cfg.get("version"):
        out += ["--version", str(version or cfg["version"])]
    if env or cfg.get("env"):
        out += ["--env", str(env or cfg["env"])]
    for name in image or []:
        out += ["--image", name]
    return out


@task(help={"paths": "Dockerfiles to lint (default: the declared images)", "fix": "apply safe fixes"})
def lint(c: Context, paths: str = "", fix: bool = False, format: str = "") -> None:
    """Lint the declared images or the given Dockerfiles."""
    argv = ["lint", *paths.split()]
    if fix:
        argv.append("--fix")
    fmt = format or _cfg(c).get("lint_format")
    if fmt:
        argv += ["--format", str(fmt)]
    _run(c, argv)


@task(help={"check": "write nothing; fail with a diff when rendered files are stale"})
def render(c: Context, check: bool = False) -> None:
    """Render every declared image's Dockerfile and .dockerignore."""
    _run(c, ["render", *(["--check"] if check else [])])


@task(iterable=["image"], help={"push": "push after building", "image": "only these images (repeatable)"})
def build(
    c: Context,
    push: bool = False,
    version: str | None = None,
    env: str | None = None,
    image: list[str] | None = None,
    jobs: int = 0,
) -> None:
    """Build the declared images (in dependency order, in parallel)."""
    cfg = _cfg(c)
    argv = ["build", *_common(c, version=version, env=env, image=image)]
    if push:
        argv.append("--push")
    n = jobs or cfg.get("jobs")
    if n:
        argv += ["--jobs", str(n)]
    for key in ("platform", "backend", "builder"):
        if cfg.get(key):
            argv += [f"--{key}", str(cfg[key])]
    _run(c, argv)


@task(iterable=["image"])
def push(
    c: Context, version: str | None = None, env: str | None = None, image: list[str] | None = None
) -> None:
    """Build (skipping what the registry already has) and push every tag."""
    _run(c, ["push", *_common(c, version=version, env=env, image=image)])


@task(iterable=["image"])
def plan(
    c: Context, version: str | None = None, env: str | None = None, image: list[str] | None = None
) -> None:
    """Print the build plan (order, tags, pushes) without doing anything."""
    _run(c, ["plan", *_common(c, version=version, env=env, image=image)])


@task(iterable=["image"])
def tags(
    c: Context,
    version: str | None = None,
    env: str | None = None,
    image: list[str] | None = None,
    json: bool = False,
) -> None:
    """Print the computed image references, one per line."""
    _run(c, ["tags", *_common(c, version=version, env=env, image=image), *(["--json"] if json else [])])


@task(iterable=["image"], help={"build": "build the images locally first", "junit": "write JUnit XML here"})
def test(
    c: Context,
    build: bool = False,
    junit: str | None = None,
    version: str | None = None,
    env: str | None = None,
    image: list[str] | None = None,
) -> None:
    """Run the image checks declared on the images (docs/imagetest.md)."""
    argv = ["test", *_common(c, version=version, env=env, image=image)]
    argv += [*(["--build"] if build else []), *(["--junit", junit] if junit else [])]
    _run(c, argv)


def make_collection(**defaults: Any) -> Collection:
    """A fresh collection of the dockgen tasks, with ``defaults`` as its ``dockgen`` configuration."""
    ns = Collection("dockgen", lint, render, build, push, plan, tags, test)
    if defaults:
        ns.configure({"dockgen": defaults})
    return ns


#: The ready-made collection (no defaults): ``ns.add_collection(collection, name="images")``.
collection = make_collection()
