"""DG008: the default of a global ARG yields an invalid image reference in FROM."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen._lazyre import lazy_compile
from dockgen.ir import expand, variable_references
from dockgen.lint.rule import Finding, LintContext, Rule, Severity
from dockgen.stages import PLATFORM_ARGS, global_arg_defaults

_REFERENCE = lazy_compile(
    r"^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
    r"(?::[0-9]+)?/)?"
    r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
    r"(?::[\w][\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$"
)


def valid_reference(image: str) -> bool:
    return bool(_REFERENCE.match(image))


class FromInvalidDefaultArg(Rule):
    """
    ## What it does
    Expands each `FROM` image that uses global `ARG`s with their default values and flags the ones that do not
    give a valid image reference (an `ARG` without default expands to an empty string).

    ## Why is this bad?
    A build that does not pass `--build-arg` gets the defaults: `FROM python:${VERSION}` with `ARG VERSION`
    and no default becomes `FROM python:`, which fails. Give every global `ARG` used in `FROM` a working
    default, so that a plain `docker build` (and tools that analyse the file) work.

    ## Example
    ```dockerfile
    ARG VERSION
    FROM python:${VERSION}-slim
    ```

    ## Use instead
    ```dockerfile
    ARG VERSION=3.12
    FROM python:${VERSION}-slim
    ```

    ## References
    - BuildKit InvalidDefaultArgInFrom
    - https://docs.docker.com/reference/build-checks/invalid-default-arg-in-from/
    """

    code = "DG008"
    name = "from-invalid-default-arg"
    severity = Severity.WARNING
    message = "default values of the global ARGs give an invalid base image name"
    equivalents = ("InvalidDefaultArgInFrom",)

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        df = ctx.dockerfile
        defaults = global_arg_defaults(df)
        env = {k: v or "" for k, v in defaults.items()}
        for stage in df.stages:
            raw = stage.base
            names = variable_references(raw)
            if not names or any(n not in defaults and n not in PLATFORM_ARGS for n in names):
                continue  # undeclared variables are DG007's business
            value = expand(raw, {**PLATFORM_ARGS, **env})
            earlier = df.stage_by_ref(value)
            if value.lower() == "scratch" or (earlier is not None and earlier.index < stage.index):
                continue
            if not valid_reference(value):
                shown = value or "an empty string"
                yield self.finding(
                    stage.from_,
                    f"with the default ARG values, FROM {raw} becomes {shown!r}, not a valid image name: "
                    "give the ARG a working default",
                )
