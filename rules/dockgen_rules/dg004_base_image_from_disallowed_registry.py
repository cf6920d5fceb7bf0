"""DG004: FROM an image of a registry that is not in the allowed list."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from dockgen._static import TYPE_CHECKING
from dockgen.lint.rule import Finding, LintContext, Rule, Severity
from dockgen.stages import external_bases

if TYPE_CHECKING:
    from typing import Any, ClassVar

_DOCKER_HUB = frozenset({"docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"})


def registry_of(image: str) -> str:
    """The registry host of an image reference (``docker.io`` when none is written)."""
    first, sep, _ = image.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost"):
        return first.lower()
    return "docker.io"


def normalised(image: str) -> str:
    """``python:3`` -> ``docker.io/library/python:3``; references with a registry are kept."""
    reg = registry_of(image)
    if reg != "docker.io" or image.split("/", 1)[0].lower() in _DOCKER_HUB:
        rest = image.split("/", 1)[1] if image.split("/", 1)[0].lower() in _DOCKER_HUB else image
        if reg == "docker.io":
            return "docker.io/" + (rest if "/" in rest else "library/" + rest)
        return image
    return "docker.io/" + (image if "/" in image else "library/" + image)


def allowed(image: str, entries: list[str]) -> bool:
    reg = registry_of(image)
    full = normalised(image).lower()
    for raw in entries:
        entry = raw.strip().lower().rstrip("/")
        if not entry:
            continue
        if entry in _DOCKER_HUB:
            entry = "docker.io"
        if "/" not in entry:
            if fnmatch.fnmatchcase(reg, entry) or (entry == "docker.io" and reg == "docker.io"):
                return True
            continue
        if entry.split("/", 1)[0] in _DOCKER_HUB:
            entry = "docker.io/" + entry.split("/", 1)[1]
        if full.startswith(entry + "/") or fnmatch.fnmatchcase(full.split(":", 1)[0].split("@", 1)[0], entry):
            return True
    return False


class BaseImageFromDisallowedRegistry(Rule):
    """
    ## What it does
    Flags `FROM` images that do not come from one of the registries (or repository prefixes) listed in the
    `allowed-registries` option. Without the option the rule is silent.

    An entry is a registry host (`ghcr.io`, `registry.example.com:5000`, `*.example.com`) or a repository
    prefix (`ghcr.io/acme`, `docker.io/library`). Images without a registry are Docker Hub images
    (`docker.io`); `docker.io/library` allows only the official images.

    ## Why is this bad?
    Organisations mirror and scan approved base images; pulling from anywhere else bypasses that review and
    exposes builds to typo-squatted or unmaintained images.

    ## Example
    ```dockerfile
    FROM randomuser/python:3.12
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    ```

    ## Options
    - `allowed-registries` (list of strings): allowed registry hosts or repository prefixes, e.g.
      `["docker.io/library", "ghcr.io/acme"]`. The examples above assume `["docker.io/library"]`.

    ## References
    - hadolint DL3026
    """

    code = "DG004"
    name = "base-image-from-disallowed-registry"
    severity = Severity.ERROR
    message = "base image comes from a registry that is not allowed"
    equivalents = ("DL3026",)
    options_used = ("allowed-registries",)
    #: Options the documentation examples are checked with.
    example_options: ClassVar[dict[str, Any]] = {"allowed-registries": ["docker.io/library"]}

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        value = ctx.option("allowed-registries")
        if not value:
            return
        entries = [e for e in value.split(",")] if isinstance(value, str) else [str(e) for e in value]
        for stage, info in external_bases(ctx.dockerfile):
            if allowed(info.image, entries):
                continue
            yield self.finding(
                stage.from_,
                f"base image {info.image!r} comes from {registry_of(info.image)}, which is not in "
                f"allowed-registries ({', '.join(entries)})",
            )
