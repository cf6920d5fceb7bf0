"""builder_and_runtime(): the multi-stage split as a declaration."""

from __future__ import annotations

import pytest

from dockgen import Apt, Cmd, Copy, Image, Run, builder_and_runtime, render_image
from dockgen.errors import DeclarationError

BUILD = [
    Apt(["gcc", "libc6-dev", "libssl-dev"]),
    Copy(".", "/src"),
    Run("gcc -O2 -o /usr/local/bin/digest /src/digest.c -lcrypto"),
]


def test_renders_a_builder_and_a_runtime_stage_with_the_runtime_libraries() -> None:
    stages = builder_and_runtime(
        "debian:bookworm-slim", build=BUILD, artifacts=["/usr/local/bin/digest"], runtime=[Cmd(["digest"])]
    )
    text = render_image(Image("digest", stages=stages))
    _header, builder, runtime = text.split("\n\nFROM ")
    assert builder.startswith("debian:bookworm-slim AS builder") and "gcc libc6-dev libssl-dev" in builder
    assert runtime.startswith("debian:bookworm-slim\n")
    assert "libssl3" in runtime and "gcc" not in runtime
    assert "COPY --from=builder /usr/local/bin/digest /usr/local/bin/digest" in runtime
    assert runtime.rstrip().endswith('CMD ["digest"]')


def test_artifacts_with_destinations_and_an_own_runtime_base() -> None:
    stages = builder_and_runtime(
        "debian:bookworm",
        build=BUILD,
        artifacts={"/usr/local/bin/digest": "/app/digest"},
        runtime_base="debian:bookworm-slim",
        packages=["ca-certificates"],
        name="compile",
        user="10001",
    )
    text = render_image(Image("digest", stages=stages))
    assert "AS compile" in text and "COPY --from=compile /usr/local/bin/digest /app/digest" in text
    assert "ca-certificates libssl3" in text and text.rstrip().endswith("USER 10001")


def test_unknown_header_package_needs_explicit_packages() -> None:
    build = [Apt(["gcc", "libfrobnicate-dev"]), Run("make")]
    with pytest.raises(DeclarationError, match="libfrobnicate-dev"):
        builder_and_runtime("debian:bookworm", build=build, artifacts=["/usr/local"])
    stages = builder_and_runtime(
        "debian:bookworm", build=build, artifacts=["/usr/local"], packages=["libfrobnicate1"], libraries=False
    )
    assert "libfrobnicate1" in render_image(Image("x", stages=stages))


def test_no_artifacts_is_an_error() -> None:
    with pytest.raises(DeclarationError, match="no artifacts"):
        builder_and_runtime("debian:bookworm", build=BUILD, artifacts=[])
