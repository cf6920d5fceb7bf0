"""DG010: two stages with the same name."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.lint.rule import Finding, LintContext, Rule, Severity


class DuplicateStageName(Rule):
    """
    ## What it does
    Flags a stage whose name (compared case-insensitively, as BuildKit does) was already used by an earlier
    stage.

    ## Why is this bad?
    BuildKit refuses the file; older builders silently used one of the stages, so `COPY --from` and
    `--target` pointed at something other than what the reader expects.

    ## Example
    ```dockerfile
    FROM golang:1.22 AS build
    FROM node:20 AS build
    ```

    ## Use instead
    ```dockerfile
    FROM golang:1.22 AS build-api
    FROM node:20 AS build-web
    ```

    ## References
    - hadolint DL3024, BuildKit DuplicateStageName, Trivy DS-0012, Checkov CKV_DOCKER_11
    - https://docs.docker.com/reference/build-checks/duplicate-stage-name/
    """

    code = "DG010"
    name = "duplicate-stage-name"
    severity = Severity.ERROR
    message = "stage name used twice"
    equivalents = ("DL3024", "DuplicateStageName", "DS-0012", "CKV_DOCKER_11")

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        seen: dict[str, int] = {}
        for stage in ctx.stages:
            if stage.name is None:
                continue
            key = stage.name.lower()
            if key in seen:
                yield self.finding(
                    stage.from_, f"stage name {stage.name!r} is already used by the stage at line {seen[key]}"
                )
            else:
                seen[key] = stage.from_.line
