"""The monorepo example: one shared base image, two service images built FROM it.

`base` carries the runtime and the shared library; `api` and `worker` are built FROM `base`, so dockgen
knows the build order (base first) and, at build time, pins their FROM to the exact base image just built.
Each image has its own build context (its directory) and so its own .dockerignore.
"""

import os

import dockgen
from dockgen import Apt, Cmd, Copy, Env, Expose, Healthcheck, Image, Stage

BASE_IMAGE = "debian:bookworm-slim"
# Where the images are pushed: <registry>/<team>/<app>:<version>. The default is the local test registry
# started by scripts/setup.sh; CI pipelines set DOCKGEN_EXAMPLE_REGISTRY to their own registry.
REGISTRY = os.environ.get("DOCKGEN_EXAMPLE_REGISTRY", "127.0.0.1:5000")
TEAM = "examples"

base = Image(
    "monorepo-base",
    registry=REGISTRY,
    namespace=TEAM,
    version="1.0.0",
    context="shared",
    args={"BASE_IMAGE": BASE_IMAGE},
    stages=[
        Stage(
            base="${BASE_IMAGE}",
            steps=[
                Apt({"python3": "3.11.*", "ca-certificates": "20*"}),
                Copy("greeting.py", "/opt/shared/"),
                Env({"PYTHONPATH": "/opt/shared", "PYTHONUNBUFFERED": "1"}),
            ],
            user="10001:10001",
        )
    ],
)

api = Image(
    "monorepo-api",
    registry=REGISTRY,
    namespace=TEAM,
    version="1.0.0",
    context="services/api",
    stages=[
        Stage(
            base=base,
            workdir="/app",
            steps=[
                Copy("server.py", "./"),
                Env({"PORT": "8000"}),
                Expose(8000),
                Healthcheck(
                    [
                        "python3",
                        "-c",
                        "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)",
                    ],
                    interval="30s",
                    timeout="3s",
                    retries=3,
                ),
                Cmd(["python3", "server.py"]),
            ],
            user="10001:10001",
        )
    ],
)

worker = Image(
    "monorepo-worker",
    registry=REGISTRY,
    namespace=TEAM,
    version="1.0.0",
    context="services/worker",
    stages=[
        Stage(
            base=base,
            workdir="/app",
            steps=[Copy("worker.py", "./"), Cmd(["python3", "worker.py"])],
            user="10001:10001",
        )
    ],
)

images = [base, api, worker]

if __name__ == "__main__":
    raise SystemExit(dockgen.main(images))
