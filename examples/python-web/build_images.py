"""The Python example: dependencies installed into a virtualenv in a builder stage, copied into a runtime
stage that runs as a non-root user and has a HEALTHCHECK.

The base image is a build argument (default Debian bookworm with the distribution's python3); pass
`--build-arg BASE_IMAGE=python:3.12-slim` to use an official Python image instead (then python3-venv is
already there and the apt step is a no-op you can drop).
"""

import dockgen
from dockgen import Apt, Cmd, Copy, Env, Expose, Healthcheck, Image, Pip, Stage

BASE_IMAGE = "debian:bookworm-slim"

builder = Stage(
    "builder",
    base="${BASE_IMAGE}",
    workdir="/app",
    steps=[
        Apt({"python3": "3.11.*", "python3-venv": "3.11.*"}),
        Copy("requirements.txt", "./"),
        Pip(requirements="requirements.txt", venv="/opt/venv"),
    ],
)

runtime = Stage(
    "runtime",
    base="${BASE_IMAGE}",
    workdir="/app",
    steps=[
        Apt({"python3": "3.11.*"}),
        Env({"PATH": "/opt/venv/bin:$PATH", "PYTHONUNBUFFERED": "1", "PORT": "8000"}),
        Copy("/opt/venv", "/opt/venv", from_=builder),
        Copy("app.py", "./"),
        Expose(8000),
        Healthcheck(
            [
                "python3",
                "-c",
                "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)",
            ],
            interval="30s",
            timeout="3s",
            start_period="5s",
            retries=3,
        ),
        Cmd(["python3", "app.py"]),
    ],
    user="10001:10001",
)

images = [
    Image(
        "python-web",
        version="1.0.0",
        args={"BASE_IMAGE": BASE_IMAGE},
        stages=[builder, runtime],
        dockerignore=["tests"],
    ),
]

if __name__ == "__main__":
    raise SystemExit(dockgen.main(images))
