"""Helpers for nox sessions.

In a project's ``noxfile.py``::

    import nox
    from dockgen.integrations import nox as dockgen_nox

    @nox.session(python=False)
    def images(session):
        dockgen_nox.lint(session)
        dockgen_nox.render_check(session)
        dockgen_nox.build(session, push=session.posargs == ["--push"])

Each helper runs the ``dockgen`` command of the session's environment (``session.run``), so output and
failures appear in nox's own log; ``install(session)`` puts dockgen into a session virtualenv first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["build", "install", "lint", "plan", "push", "render", "render_check", "run", "tags", "test"]


def _external(session: Any) -> bool:
    # With python=False (or --no-venv) the command comes from the surrounding environment.
    return (
        getattr(session, "virtualenv", None) is None or type(session.virtualenv).__name__ == "PassthroughEnv"
    )


def run(session: Any, *args: str, file: str | None = None) -> Any:
    """Run ``dockgen [--file FILE] ARGS...`` in the session."""
    argv = ["dockgen", *(["--file", file] if file else []), *args]
    return session.run(*argv, external=_external(session))


def install(session: Any, *extras: str, spec: str = "dockgen-py") -> None:
    """Install dockgen (with ``extras``, e.g. ``"hadolint"``) into the session's virtualenv."""
    session.install(f"{spec}[{','.join(extras)}]" if extras else spec)


def lint(
    session: Any, *paths: str, fix: bool = False, fmt: str | None = None, file: str | None = None
) -> Any:
    args = ["lint", *paths, *(["--fix"] if fix else []), *(["--format", fmt] if fmt else [])]
    return run(session, *args, file=file)


def render(session: Any, *, file: str | None = None) -> Any:
    return run(session, "render", file=file)


def render_check(session: Any, *, file: str | None = None) -> Any:
    return run(session, "render", "--check", file=file)


def _selection(version: str | None, env: str | None, images: Sequence[str]) -> list[str]:
    out: list[str] = []
    if version:
        out += ["--version", version]
    if env:
        out += ["--env", env]
    for name in images:
        out += ["--image", name]
    return out


def build(
    session: Any,
    *,
    push: bool = False,
    version: str | None = None,
    env: str | None = None,
    images: Sequence[str] = (),
    jobs: int | None = None,
    file: str | None = None,
) -> Any:
    args = ["build", *_selection(version, env, images), *(["--push"] if push else [])]
    if jobs:
        args += ["--jobs", str(jobs)]
    return run(session, *args, file=file)


def push(
    session: Any,
    *,
    version: str | None = None,
    env: str | None = None,
    images: Sequence[str] = (),
    file: str | None = None,
) -> Any:
    return run(session, "push", *_selection(version, env, images), file=file)


def plan(
    session: Any,
    *,
    version: str | None = None,
    env: str | None = None,
    images: Sequence[str] = (),
    file: str | None = None,
) -> Any:
    return run(session, "plan", *_selection(version, env, images), file=file)


def tags(
    session: Any,
    *,
    version: str | None = None,
    env: str | None = None,
    images: Sequence[str] = (),
    file: str | None = None,
) -> Any:
    return run(session, "tags", *_selection(version, env, images), file=file)


def test(
    session: Any,
    *,
    build: bool = False,
    junit: str | None = None,
    version: str | None = None,
    env: str | None = None,
    images: Sequence[str] = (),
    file: str | None = None,
) -> Any:
    """``dockgen test``: the image checks declared on the images (``build=True`` builds them first)."""
    args = ["test", *_selection(version, env, images), *(["--build"] if build else [])]
    return run(session, *args, *(["--junit", junit] if junit else []), file=file)
