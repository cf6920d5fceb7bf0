"""Tests for DG017 build-toolchain-in-final-stage (dg017_build_toolchain_in_final_stage)."""

from __future__ import annotations

from pathlib import Path

import pytest
from _helpers import dedent, fixed, make_context, run
from dockgen_rules.dg017_build_toolchain_in_final_stage import BuildToolchainInFinalStage

OPTIONS: dict[str, object] = {}

CATCHES = [
    (
        "gcc-single-stage",
        "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev\n",
        [2],
    ),
    ("apk-build-base", "FROM alpine:3.20\nRUN apk add --no-cache build-base\n", [2]),
    (
        # a command made only of an assignment (docker-library's savedAptMark idiom) next to a source build
        "assignment-only-command",
        "FROM debian:bookworm\nRUN set -eux; apt-get update; apt-get install -y gcc make; "
        'saved="$(apt-mark showmanual)"; ./configure --prefix=/usr/local; make; make install\n',
        [2],
    ),
    ("dnf-devel", "FROM rockylinux:9\nRUN dnf install -y openssl-devel && dnf clean all\n", [2]),
    ("golang-image-builds", "FROM golang:1.22\nRUN go build -o /app .\n", [2]),
    (
        "purged-without-auto-remove",
        "FROM debian:bookworm-slim\nRUN apt-get install -y gcc && make && apt-get purge -y gcc\n",
        [2],
    ),
    (
        "apt-remove-build-essential",
        "FROM debian:bookworm\nRUN apt install -y build-essential && make && apt remove -y build-essential\n",
        [2],
    ),
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
    (
        "purged-with-dependencies",
        "FROM debian:bookworm-slim\nRUN apt-get install -y gcc && make && apt-get purge -y --auto-remove gcc\n",
    ),
    (
        "removed-then-autoremove",
        "FROM debian:bookworm-slim\nRUN apt-get install -y gcc && make && apt-get remove -y gcc && apt-get autoremove -y\n",
    ),
    (
        "headers-removed",
        "FROM debian:bookworm-slim\nRUN apt-get install -y libpq-dev && make && apt-get purge -y libpq-dev\n",
    ),
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


def test_remove_without_auto_remove_is_named() -> None:
    text = "FROM debian:bookworm\nRUN apt-get install -y build-essential && make && apt-get remove -y build-essential\n"
    (finding,) = run(BuildToolchainInFinalStage, text)
    assert "without --auto-remove" in finding.message and "DG055" in finding.message


# ---- the multi-stage split (unsafe fix) ----------------------------------------------------------------------

SPLITS = [
    (
        "gcc-output",
        """\
        FROM debian:bookworm
        RUN apt-get update && apt-get install -y gcc libc6-dev libssl-dev
        COPY . /src
        WORKDIR /src
        RUN gcc -O2 -o /usr/local/bin/digest digest.c -lcrypto
        CMD ["digest", "/src/digest.c"]
        """,
        """\
        FROM debian:bookworm AS builder
        RUN apt-get update && apt-get install -y gcc libc6-dev libssl-dev
        COPY . /src
        WORKDIR /src
        RUN gcc -O2 -o /usr/local/bin/digest digest.c -lcrypto

        FROM debian:bookworm
        RUN apt-get update && apt-get install -y libssl3 && rm -rf /var/lib/apt/lists/*
        COPY . /src
        WORKDIR /src
        COPY --from=builder /usr/local/bin/digest /usr/local/bin/digest
        CMD ["digest", "/src/digest.c"]
        """,
    ),
    (
        "make-install-prefix-and-runtime-packages",
        """\
        FROM debian:bookworm-slim
        ENV LANG=C.UTF-8
        RUN apt-get update && apt-get install -y --no-install-recommends python3 build-essential zlib1g-dev
        RUN useradd --system app
        COPY . /usr/src/tool
        RUN cd /usr/src/tool && ./configure --prefix=/opt/tool && make && make install
        USER app
        CMD ["/opt/tool/bin/tool"]
        """,
        """\
        FROM debian:bookworm-slim AS builder
        ENV LANG=C.UTF-8
        RUN apt-get update && apt-get install -y --no-install-recommends python3 build-essential zlib1g-dev
        RUN useradd --system app
        COPY . /usr/src/tool
        RUN cd /usr/src/tool && ./configure --prefix=/opt/tool && make && make install

        FROM debian:bookworm-slim
        ENV LANG=C.UTF-8
        RUN apt-get update \\
            && apt-get install -y --no-install-recommends python3 \\
            && rm -rf /var/lib/apt/lists/*
        RUN useradd --system app
        COPY --from=builder /usr/src/tool /usr/src/tool
        COPY --from=builder /opt/tool /opt/tool
        USER app
        CMD ["/opt/tool/bin/tool"]
        """,
    ),
    (
        "pip-venv",
        """\
        FROM debian:bookworm-slim
        RUN apt-get update && apt-get install -y python3 python3-venv python3-dev gcc libpq-dev
        WORKDIR /app
        COPY requirements.txt .
        RUN python3 -m venv /venv && /venv/bin/pip install -r requirements.txt
        COPY . .
        CMD ["/venv/bin/python", "app.py"]
        """,
        """\
        FROM debian:bookworm-slim AS builder
        RUN apt-get update && apt-get install -y python3 python3-venv python3-dev gcc libpq-dev
        WORKDIR /app
        COPY requirements.txt .
        RUN python3 -m venv /venv && /venv/bin/pip install -r requirements.txt

        FROM debian:bookworm-slim
        RUN apt-get update \\
            && apt-get install -y python3 libpq5 \\
            && rm -rf /var/lib/apt/lists/*
        WORKDIR /app
        COPY requirements.txt .
        COPY --from=builder /venv /venv
        COPY . .
        CMD ["/venv/bin/python", "app.py"]
        """,
    ),
    (
        "npm-native-modules",
        """\
        FROM debian:bookworm
        RUN apt-get update && apt-get install -y nodejs npm g++ make
        WORKDIR /app
        COPY . .
        RUN npm ci --omit=dev
        CMD ["node", "index.js"]
        """,
        """\
        FROM debian:bookworm AS builder
        RUN apt-get update && apt-get install -y nodejs npm g++ make
        WORKDIR /app
        COPY . .
        RUN npm ci --omit=dev

        FROM debian:bookworm
        RUN apt-get update && apt-get install -y nodejs && rm -rf /var/lib/apt/lists/*
        WORKDIR /app
        COPY --from=builder /app /app
        CMD ["node", "index.js"]
        """,
    ),
]


@pytest.mark.parametrize(("before", "after"), [pytest.param(b, a, id=i) for i, b, a in SPLITS])
def test_split(before: str, after: str) -> None:
    assert fixed(BuildToolchainInFinalStage, before, unsafe=True) == dedent(after)


def test_split_is_unsafe_only() -> None:
    before = SPLITS[0][1]
    assert fixed(BuildToolchainInFinalStage, before, unsafe=False) == dedent(before)


def test_cargo_binaries_come_from_cargo_toml(tmp_path: Path) -> None:
    ctx = make_context(
        tmp_path,
        {"Cargo.toml": '[package]\nname = "primes"\nversion = "0.1.0"\n', "src/main.rs": "fn main() {}\n"},
    )
    before = """\
    FROM debian:bookworm
    RUN apt-get update && apt-get install -y cargo
    WORKDIR /app
    COPY . .
    RUN cargo build --release
    CMD ["/app/target/release/primes"]
    """
    after = fixed(BuildToolchainInFinalStage, before, unsafe=True, context_dir=ctx)
    assert "COPY --from=builder /app/target/release/primes /app/target/release/primes" in after
    # the sources come from the context again: target/ (all of cargo's intermediate files) stays behind
    assert after.count("COPY . .") == 2


NO_SPLIT = [
    (
        "unknown-command-before-build",
        "FROM debian:bookworm\nRUN apt-get install -y gcc\nRUN ./fetch-sources.sh\nRUN gcc -o /x x.c\n",
        "runs 'fetch-sources.sh'",
    ),
    (
        "unknown-dev-package",
        "FROM debian:bookworm\nRUN apt-get install -y gcc libfrobnicate-dev\nRUN gcc -o /x x.c\n",
        "runtime library of libfrobnicate-dev is not known",
    ),
    (
        "build-tool-at-run-time",
        "FROM debian:bookworm\nRUN apt-get install -y nodejs npm g++\nCOPY . /app\nRUN cd /app && npm ci\nCMD npm start\n",
        "runs npm, a build tool",
    ),
    (
        "cargo-without-context",
        "FROM debian:bookworm\nRUN apt-get install -y cargo\nCOPY . /app\nRUN cd /app && cargo build --release\n",
        "Cargo.toml is not in the build context",
    ),
    (
        "toolchain-base-image",
        "FROM golang:1.22\nRUN apt-get install -y gcc\nRUN go build -o /app .\n",
        "comes with the 'golang' base image",
    ),
    (
        "packages-after-build",
        "FROM debian:bookworm\nRUN apt-get install -y gcc\nRUN gcc -o /x x.c\nRUN apt-get install -y curl\n",
        "changes packages after the build",
    ),
]


@pytest.mark.parametrize(("text", "reason"), [pytest.param(t, r, id=i) for i, t, r in NO_SPLIT])
def test_no_split_says_why(text: str, reason: str) -> None:
    findings = run(BuildToolchainInFinalStage, text)
    assert findings
    assert findings[0].fix is None
    assert reason in findings[0].message
    assert "no automatic split" in findings[0].message


def test_system_pip_on_a_python_image_copies_site_packages_not_the_interpreter() -> None:
    before = """\
    FROM python:3.12-slim
    RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*
    RUN pip install --no-cache-dir psycopg2==2.9.9
    """
    after = fixed(BuildToolchainInFinalStage, before, unsafe=True)
    assert "COPY --from=builder /usr/local/lib/python3.12/site-packages" in after
    assert "COPY --from=builder /usr/local /usr/local" not in after
    # on Debian's own python3, /usr/local holds only what pip installed
    debian = before.replace("python:3.12-slim", "debian:bookworm-slim").replace(
        "gcc libpq-dev", "python3-pip gcc libpq-dev"
    )
    assert "COPY --from=builder /usr/local /usr/local" in fixed(
        BuildToolchainInFinalStage, debian, unsafe=True
    )


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
