"""DG015: COPY --from names the stage it is in."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.lint.rule import Finding, LintContext, Rule, Severity


class CopyFromOwnStage(Rule):
    """
    ## What it does
    Flags `COPY --from=<stage>` inside that same stage (by name or index).

    ## Why is this bad?
    A stage cannot copy from itself: BuildKit reports a circular dependency. Usually the `--from` should name
    the previous stage, or the files are already there and a `RUN cp` is meant.

    ## Example
    ```dockerfile
    FROM node:20 AS web
    COPY --from=web /app/dist /srv
    ```

    ## Use instead
    ```dockerfile
    FROM node:20 AS web
    RUN cp -r /app/dist /srv
    ```

    ## References
    - hadolint DL3023, Trivy DS-0006
    """

    code = "DG015"
    name = "copy-from-own-stage"
    triggers = frozenset({"COPY"})
    severity = Severity.ERROR
    message = "COPY --from references its own stage"
    equivalents = ("DL3023", "DS-0006")

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        df = ctx.dockerfile
        for stage in df.stages:
            for ins in stage.instructions:
                ref = ins.flag("from") if ins.keyword == "COPY" else None
                if not ref:
                    continue
                found = df.stage_by_ref(ref)
                if found is not None and found.index == stage.index:
                    yield self.finding(ins, f"COPY --from={ref} copies from the stage it is in")
