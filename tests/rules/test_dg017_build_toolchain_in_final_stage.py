"""Tests for DG017 build-toolchain-in-final-stage (dg017_build_toolchain_in_final_stage)."""

from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg017_build_toolchain_in_final_stage import BuildToolchainInFinalStage

OPTIONS: dict[str, object] = {}

CATCHES = [
    (
        "gcc-single-stage",
        "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev\n",
        [2],
    ),
    ("apk-build-base", "FROM alpine:3.20\nRUN apk add --no-cache build-base\n", [2]),
    ("dnf-devel", "FROM rockylinux:9\nRUN dnf install -y openssl-devel && dnf clean all\n", [2]),
    ("golang-image-builds", "FROM golang:1.22\nRUN go build -o /app .\n", [2]),
    (
        "final-after-builder",
        "FROM python:3.12 AS b\nRUN echo\nFROM python:3.12-slim\nRUN apt-get install -y make\n",
        [4],
    ),
]

DOES_NOT_CATCH = [
    (
        "builder-stage-only",
        "FROM python:3.12 AS b\nRUN apt-get install -y gcc\nFROM python:3.12-slim\nCOPY --from=b /x /x\n",
    ),
    (
        "virtual-removed",
        "FROM alpine:3.20\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev && pip install x && apk del .build-deps\n",
    ),
    ("purged", "FROM debian:bookworm-slim\nRUN apt-get install -y gcc && make && apt-get purge -y gcc\n"),
    (
        "purged-variable",
        "FROM debian:bookworm-slim\nRUN apt-get install -y $BUILD_DEPS && make && apt-get purge -y --auto-remove $BUILD_DEPS\n",
    ),
    ("runtime-libs", "FROM debian:bookworm-slim\nRUN apt-get install -y libpq5 udev\n"),
    ("golang-image-no-build", "FROM golang:1.22\nRUN go version\n"),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(BuildToolchainInFinalStage, text, options=OPTIONS)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG017" and f.span is not None and f.column == 1 for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(BuildToolchainInFinalStage, text, options=OPTIONS) == []


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "FROM debian:bookworm\nENV GOLANG_VERSION=1.22.5\nRUN apt-get install -y gcc libc6-dev make\n"
            'CMD ["go"]\n',
            id="language-image",
        ),
        pytest.param(
            'FROM debian:bookworm\nENV GCC_VERSION=14.1.0\nRUN apt-get install -y gcc make\nCMD ["gcc"]\n',
            id="compiler-image",
        ),
        pytest.param(
            'FROM alpine:3.20\nENV PHPIZE_DEPS autoconf gcc make\nRUN apk add $PHPIZE_DEPS\nCMD ["php"]\n',
            id="php-extensions-toolchain",
        ),
        pytest.param(
            "FROM buildpack-deps:bookworm-scm\nRUN apt-get install -y gcc make libssl-dev\n",
            id="build-base-image",
        ),
    ],
)
def test_images_whose_product_is_the_toolchain(text: str) -> None:
    assert run(BuildToolchainInFinalStage, text) == []


def test_application_image_with_toolchain_is_still_flagged() -> None:
    text = 'FROM debian:bookworm\nRUN apt-get install -y gcc\nCOPY app /app\nCMD ["/app/run"]\n'
    assert [f.line for f in run(BuildToolchainInFinalStage, text)] == [2]
