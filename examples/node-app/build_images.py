"""The Node example: npm ci in a builder stage, a slim runtime stage running `node server.js` on port 8080.

Run `python build_images.py render` to write Dockerfile and .dockerignore, `python build_images.py lint` to
check them. The base image is a build argument: the default builds from Debian (Node.js from the Debian
archive); pass `--build-arg BASE_IMAGE=...` to use another Debian-based image.
"""

import dockgen
from dockgen import Apt, Cmd, Copy, Env, Expose, Healthcheck, Image, Npm, Stage

BASE_IMAGE = "debian:bookworm-slim"

builder = Stage(
    "builder",
    base="${BASE_IMAGE}",
    workdir="/app",
    steps=[
        Apt({"nodejs": "18.*", "npm": "9.*"}),
        # dependencies first: this layer is reused until package*.json change
        Copy(["package.json", "package-lock.json"], "./"),
        Npm(omit_dev=True),
        Copy("server.js", "./"),
    ],
)

runtime = Stage(
    "runtime",
    base="${BASE_IMAGE}",
    workdir="/app",
    steps=[
        Apt({"nodejs": "18.*"}),
        Env({"NODE_ENV": "production", "PORT": "8080"}),
        Copy("/app", "/app", from_=builder),
        Expose(8080),
        Healthcheck(
            [
                "node",
                "-e",
                "require('http').get('http://127.0.0.1:8080/healthz', r => process.exit(r.statusCode === 200 ? 0 : 1))"
                ".on('error', () => process.exit(1))",
            ],
            interval="30s",
            timeout="3s",
            retries=3,
        ),
        Cmd(["node", "server.js"]),
    ],
    user="10001:10001",
)

images = [
    Image(
        "node-app",
        version="1.0.0",
        args={"BASE_IMAGE": BASE_IMAGE},
        stages=[builder, runtime],
        labels={"org.opencontainers.image.title": "node-app"},
    ),
]

if __name__ == "__main__":
    raise SystemExit(dockgen.main(images))
