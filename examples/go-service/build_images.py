"""The Go example: a static binary (CGO_ENABLED=0) built in a builder stage, shipped alone on `scratch`.

The builder's base image is a build argument (default Debian bookworm with the distribution's golang-go);
pass `--build-arg BUILDER_IMAGE=golang:1.22-bookworm` to build with an official Go image instead.
"""

import dockgen
from dockgen import Apt, CacheMount, Cmd, Copy, Env, Expose, Healthcheck, Image, Run, Stage

BUILDER_IMAGE = "debian:bookworm"

builder = Stage(
    "builder",
    base="${BUILDER_IMAGE}",
    workdir="/src",
    steps=[
        Apt({"golang-go": "2:1.19*", "ca-certificates": "20*"}),
        Copy("go.mod", "./"),
        Copy("main.go", "./"),
        Run(
            "CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o /out/service .",
            mounts=[CacheMount("/root/.cache/go-build")],
        ),
    ],
)

runtime = Stage(
    "runtime",
    base="scratch",
    steps=[
        Copy("/etc/ssl/certs/ca-certificates.crt", "/etc/ssl/certs/", from_=builder),
        Copy("/out/service", "/service", from_=builder),
        Env({"PORT": "8080"}),
        Expose(8080),
        Healthcheck(["/service", "-healthcheck"], interval="30s", timeout="3s", retries=3),
        Cmd(["/service"]),
    ],
    user="10001:10001",
)

images = [
    Image(
        "go-service",
        version="1.0.0",
        args={"BUILDER_IMAGE": BUILDER_IMAGE},
        stages=[builder, runtime],
    ),
]

if __name__ == "__main__":
    raise SystemExit(dockgen.main(images))
