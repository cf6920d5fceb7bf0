"""Renders a table of build targets with attrs records and tabulate."""

import attrs
from tabulate import tabulate


@attrs.frozen
class Target:
    name: str
    arch: str
    size_mb: float


TARGETS = [Target("api", "amd64", 41.5), Target("api", "arm64", 39.8), Target("worker", "amd64", 12.0)]
print(tabulate([attrs.astuple(t) for t in TARGETS], headers=["name", "arch", "MB"]))
