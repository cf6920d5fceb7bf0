"""A deterministic generator of varied, realistic Dockerfiles for benchmarks and robustness tests.

``generate(n, seed)`` returns ``{relative_name: text}``; ``write(dir, n, seed)`` writes them. Patterns cover
Debian/Ubuntu (apt), Alpine (apk), RHEL family (yum/dnf/microdnf), Python (pip, poetry, uv), Node (npm,
yarn), Go, Java, Rust, multi-stage builds, heredocs, ONBUILD, HEALTHCHECK, cache mounts, ARG-parameterised
FROM, parser directives, comments and pragmas, line continuations, good and bad practice alike.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

Gen = Callable[[random.Random], str]

PY = ["3.10", "3.11", "3.12", "3.13"]
NODE = ["18", "20", "22"]
GO = ["1.21", "1.22", "1.23"]
PKGS_APT = [
    "curl",
    "ca-certificates",
    "git",
    "build-essential",
    "libpq-dev",
    "gnupg",
    "unzip",
    "tzdata",
    "wget",
]
PKGS_APK = ["curl", "git", "bash", "tini", "ca-certificates", "openssl", "build-base", "postgresql-dev"]
PKGS_PIP = ["flask", "requests", "gunicorn", "django", "fastapi", "uvicorn", "numpy", "psycopg2-binary"]
PKGS_YUM = ["httpd", "git", "tar", "gzip", "procps-ng", "shadow-utils"]


def _pick(r: random.Random, items: list[str], k: int) -> list[str]:
    return r.sample(items, k=min(k, len(items)))


def _maybe(r: random.Random, p: float, text: str) -> str:
    return text if r.random() < p else ""


def _header(r: random.Random) -> str:
    out = ""
    if r.random() < 0.4:
        out += "# syntax=docker/dockerfile:1\n"
    if r.random() < 0.1:
        out += "# check=skip=JSONArgsRecommended\n"
    if r.random() < 0.5:
        out += f"# Service image #{r.randint(1, 999)} - maintained by the platform team\n"
    return out + ("\n" if out else "")


def _tail(r: random.Random, cmd: list[str]) -> str:
    out = ""
    if r.random() < 0.5:
        out += f"EXPOSE {r.choice(['80', '8000', '8080', '3000', '5000/tcp', '22'])}\n"
    if r.random() < 0.3:
        out += "HEALTHCHECK --interval=30s --timeout=3s CMD curl -fsS http://localhost/ || exit 1\n"
    if r.random() < 0.6:
        out += f"USER {r.choice(['10001', 'app', 'nobody', 'root', '1000:1000'])}\n"
    if r.random() < 0.5:
        quoted = ", ".join(f'"{c}"' for c in cmd)
        out += f"CMD [{quoted}]\n"
    else:
        out += f"CMD {' '.join(cmd)}\n"
    return out


def apt_python(r: random.Random) -> str:
    pkgs = " ".join(_pick(r, PKGS_APT, r.randint(1, 5)))
    base = r.choice([f"python:{r.choice(PY)}-slim", f"python:{r.choice(PY)}", "python", "python:latest"])
    yes = r.choice(["-y ", "", "--yes "])
    rec = r.choice(["--no-install-recommends ", ""])
    clean = r.choice([" \\\n    && rm -rf /var/lib/apt/lists/*", ""])
    pip = r.choice(["pip install --no-cache-dir", "pip install", "python -m pip install"])
    reqs = " ".join(
        f"{p}=={r.randint(1, 4)}.{r.randint(0, 9)}" if r.random() < 0.5 else p for p in _pick(r, PKGS_PIP, 3)
    )
    return (
        _header(r)
        + f"FROM {base}\n"
        + _maybe(r, 0.3, "MAINTAINER ops@example.com\n")
        + _maybe(r, 0.5, 'LABEL org.opencontainers.image.source="https://example.com/repo" version="1.0.0"\n')
        + "ENV PYTHONDONTWRITEBYTECODE=1 \\\n    PYTHONUNBUFFERED=1\n"
        + f"WORKDIR {r.choice(['/app', 'app', '/srv/app'])}\n"
        + f"RUN apt-get update && apt-get install {yes}{rec}{pkgs}{clean}\n"
        + "COPY requirements.txt .\n"
        + f"RUN {pip} -r requirements.txt\n"
        + f"RUN {pip} {reqs}\n"
        + r.choice(["COPY . .\n", "ADD . /app\n", "COPY src/ /app/src/\n"])
        + _tail(r, ["gunicorn", "-b", "0.0.0.0:8000", "app:app"])
    )


def alpine(r: random.Random) -> str:
    pkgs = " ".join(_pick(r, PKGS_APK, r.randint(1, 5)))
    ver = r.choice(["3.19", "3.20", "3.18", "latest", ""])
    base = f"alpine:{ver}" if ver else "alpine"
    cache = r.choice(["--no-cache ", "", "--update "])
    return (
        _header(r)
        + f"FROM {base}\n"
        + f"RUN apk add {cache}{pkgs}\n"
        + _maybe(r, 0.4, "RUN addgroup -S app && adduser -S app -G app\n")
        + _maybe(
            r,
            0.3,
            "RUN wget -q https://example.com/tool.tar.gz -O /tmp/t.tgz && tar xzf /tmp/t.tgz -C /usr/local/bin\n",
        )
        + _maybe(r, 0.2, "RUN curl -fsSL https://example.com/install.sh | sh\n")
        + "COPY entrypoint.sh /usr/local/bin/\n"
        + r.choice(['ENTRYPOINT ["/sbin/tini", "--"]\n', "ENTRYPOINT /usr/local/bin/entrypoint.sh\n", ""])
        + _tail(r, ["/usr/local/bin/entrypoint.sh"])
    )


def rhel(r: random.Random) -> str:
    tool = r.choice(["yum", "dnf", "microdnf"])
    base = r.choice(
        [
            "centos:7",
            "rockylinux:9",
            "fedora:40",
            "registry.access.redhat.com/ubi9/ubi-minimal:9.4",
            "amazonlinux:2023",
        ]
    )
    pkgs = " ".join(_pick(r, PKGS_YUM, r.randint(1, 4)))
    yes = r.choice(["-y ", ""])
    clean = r.choice([f" && {tool} clean all", ""])
    return (
        _header(r)
        + f"FROM {base}\n"
        + f"RUN {tool} install {yes}{pkgs}{clean}\n"
        + _maybe(r, 0.3, f"RUN {tool} update -y\n")
        + _maybe(r, 0.3, "RUN useradd -u 1000 app\n")
        + "COPY httpd.conf /etc/httpd/conf/httpd.conf\n"
        + _tail(r, ["httpd", "-DFOREGROUND"])
    )


def node(r: random.Random) -> str:
    v = r.choice(NODE)
    base = r.choice([f"node:{v}-alpine", f"node:{v}", f"node:{v}-bookworm-slim", "node"])
    install = r.choice(
        ["npm ci --omit=dev", "npm install", "yarn install --frozen-lockfile", "npm install -g pm2"]
    )
    mount = _maybe(r, 0.3, "--mount=type=cache,target=/root/.npm ")
    return (
        _header(r)
        + f"FROM {base} AS deps\n"
        + "WORKDIR /usr/src/app\n"
        + "COPY package*.json ./\n"
        + f"RUN {mount}{install}\n"
        + f"\nFROM {base}{r.choice([' AS runtime', ' as Runtime', ''])}\n"
        + "WORKDIR /usr/src/app\n"
        + "COPY --from=deps /usr/src/app/node_modules ./node_modules\n"
        + "COPY . .\n"
        + "ENV NODE_ENV=production\n"
        + _tail(r, ["node", "server.js"])
    )


def go(r: random.Random) -> str:
    v = r.choice(GO)
    final = r.choice(
        ["gcr.io/distroless/static-debian12:nonroot", "scratch", "alpine:3.20", "debian:bookworm-slim"]
    )
    return (
        _header(r)
        + "ARG GO_VERSION="
        + v
        + "\n"
        + "FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine AS build\n"
        + "ARG TARGETOS TARGETARCH\n"
        + "WORKDIR /src\n"
        + "COPY go.mod go.sum ./\n"
        + "RUN --mount=type=cache,target=/go/pkg/mod go mod download\n"
        + "COPY . .\n"
        + "RUN --mount=type=cache,target=/root/.cache/go-build \\\n"
        + "    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -ldflags='-s -w' -o /out/app ./cmd/app\n"
        + _maybe(r, 0.3, "RUN go install github.com/example/tool@latest\n")
        + f"\nFROM {final}\n"
        + "COPY --from=build /out/app /app\n"
        + r.choice(["USER 65532:65532\n", ""])
        + 'ENTRYPOINT ["/app"]\n'
    )


def heredoc(r: random.Random) -> str:
    return (
        "# syntax=docker/dockerfile:1.7\n"
        + f"FROM debian:{r.choice(['12', 'bookworm-slim', '11'])}\n"
        + "RUN <<EOF\nset -eux\napt-get update\napt-get install -y --no-install-recommends curl\nrm -rf /var/lib/apt/lists/*\nEOF\n"
        + "COPY <<-'CONF' /etc/app.conf\n\tport = 8080\n\tlog = info\nCONF\n"
        + _maybe(r, 0.5, 'RUN <<EOF bash\nfor i in 1 2 3; do echo "$i"; done | tee /tmp/out\nEOF\n')
        + _tail(r, ["/usr/bin/app", "--config", "/etc/app.conf"])
    )


def onbuild(r: random.Random) -> str:
    return (
        _header(r)
        + f"FROM python:{r.choice(PY)}-slim\n"
        + "WORKDIR /app\n"
        + "ONBUILD COPY requirements.txt /app/\n"
        + "ONBUILD RUN pip install -r requirements.txt\n"
        + "ONBUILD ADD . /app\n"
        + _maybe(r, 0.3, "ONBUILD RUN echo building && cd /app\n")
        + _tail(r, ["python", "-m", "app"])
    )


def java(r: random.Random) -> str:
    return (
        _header(r)
        + f"FROM maven:3.9-eclipse-temurin-{r.choice(['17', '21'])} AS build\n"
        + "WORKDIR /build\n"
        + "COPY pom.xml .\n"
        + "RUN mvn -B dependency:go-offline\n"
        + "COPY src ./src\n"
        + "RUN mvn -B package -DskipTests\n\n"
        + f"FROM eclipse-temurin:{r.choice(['17', '21'])}-jre{r.choice(['', '-alpine'])}\n"
        + "COPY --from=build /build/target/*.jar /app/app.jar\n"
        + r.choice(["RUN useradd -r -u 10001 app\nUSER app\n", ""])
        + 'ENTRYPOINT ["java", "-jar", "/app/app.jar"]\n'
    )


def rust(r: random.Random) -> str:
    return (
        _header(r)
        + f"FROM rust:1.{r.randint(70, 82)} as builder\n"
        + "WORKDIR /usr/src/app\n"
        + "COPY . .\n"
        + "RUN cargo build --release\n"
        + "FROM debian:bookworm-slim\n"
        + "RUN apt-get update && apt-get install -y libssl3 && rm -rf /var/lib/apt/lists/*\n"
        + "COPY --from=builder /usr/src/app/target/release/app /usr/local/bin/app\n"
        + 'CMD ["app"]\n'
    )


def messy(r: random.Random) -> str:
    """Old-style files: legacy ENV, sudo, cd, relative WORKDIR, shell-form everything, pragmas."""
    return (
        f"FROM ubuntu:{r.choice(['20.04', '22.04', 'latest', ''])}".rstrip(":")
        + "\n"
        + "MAINTAINER John Doe <john@example.com>\n"
        + "ENV APP_HOME /opt/app\n"
        + "ENV DB_PASSWORD=changeme\n"
        + "ARG GITHUB_TOKEN\n"
        + "# hadolint ignore=DL3008\n"
        + "RUN apt-get update\n"
        + "RUN apt-get install -y python3 python3-pip sudo vim\n"
        + "RUN cd /opt && git clone https://example.com/app.git\n"
        + "  # dockgen: ignore=DG020\n"
        + "RUN cd /opt/app && \\\n      pip3 install -r requirements.txt && \\\n\n      python3 setup.py install\n"
        + "WORKDIR app\n"
        + "run sudo chown -R www-data /opt/app\n"
        + "ADD https://example.com/file.tar.gz /tmp/\n"
        + "COPY a b c /dest\n"
        + "EXPOSE 80:8080\n"
        + "EXPOSE 443/TCP\n"
        + "CMD python3 /opt/app/main.py\n"
        + 'CMD ["python3", "/opt/app/main.py"]\n'
    )


GENERATORS: tuple[Gen, ...] = (apt_python, alpine, rhel, node, go, heredoc, onbuild, java, rust, messy)


def generate(n: int = 300, seed: int = 20240601) -> dict[str, str]:
    """``n`` Dockerfiles, deterministic for a seed, named after their generator."""
    r = random.Random(seed)
    out: dict[str, str] = {}
    for i in range(n):
        gen = GENERATORS[i % len(GENERATORS)] if i < len(GENERATORS) else r.choice(GENERATORS)
        name = f"{i:04d}-{gen.__name__.replace('_', '-')}.Dockerfile"
        out[name] = gen(r)
    return out


def write(directory: Path, n: int = 300, seed: int = 20240601) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for name, text in generate(n, seed).items():
        p = directory / name
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths
