"""System package helpers run as root whatever user the stage inherits, and the user is restored after."""

from __future__ import annotations

from dockgen import Apt, Image, Pip, Run, Stage, User
from dockgen.compile import render_image


def _body(image: Image) -> list[str]:
    return [
        line for line in render_image(image, optimize=False).splitlines() if line and not line.startswith("#")
    ]


BASE = Image(
    "nonroot-base",
    version="1.0.0",
    stages=[Stage("b", base="debian:bookworm-slim", steps=[Run("useradd app")], user="app")],
)


def test_apt_on_a_project_base_with_a_non_root_user() -> None:
    image = Image(
        "app", version="1.0.0", stages=[Stage("a", base=BASE, steps=[Apt(["curl"]), Run("curl -V")])]
    )
    lines = _body(image)
    assert lines[0] == "FROM nonroot-base:1.0.0 AS a"
    assert lines[1] == "USER root"
    assert lines[2].startswith("RUN apt-get update")
    assert "USER app" in lines and lines.index("USER app") < lines.index("RUN curl -V")


def test_apt_after_a_user_step() -> None:
    image = Image(
        "app",
        version="1.0.0",
        stages=[Stage("a", base="debian:bookworm-slim", steps=[User("10001"), Apt(["curl"])])],
    )
    lines = _body(image)
    assert lines[1:3] == ["USER 10001", "USER root"]
    assert lines[-1] == "USER 10001"


def test_root_or_unknown_user_needs_no_switch() -> None:
    for stage in (
        Stage("a", base="debian:bookworm-slim", steps=[Apt(["curl"])]),
        Stage("a", base="debian:bookworm-slim", steps=[User("root"), Apt(["curl"])]),
    ):
        assert not any(
            line == "USER root" and i > 1
            for i, line in enumerate(_body(Image("x", version="1.0.0", stages=[stage])))
        )


def test_pip_is_not_switched() -> None:
    """pip installs into a virtualenv or the user's site: it does not need root."""
    image = Image(
        "app",
        version="1.0.0",
        stages=[Stage("a", base=BASE, steps=[Pip(["flask==3.0.3"], venv="/home/app/venv")])],
    )
    assert "USER root" not in _body(image)
