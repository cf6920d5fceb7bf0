"""DG014: COPY --from names a stage that does not exist (yet)."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.lint.rule import Finding, LintContext, Rule, Severity


class CopyFromUnknownStage(Rule):
    """
    ## What it does
    Flags `COPY --from=<name>` where `<name>` is neither a stage defined earlier in the file nor an image
    reference. A value with a tag, digest, registry or path (`nginx:1.27`, `ghcr.io/acme/tools`) is an image
    and is left alone, as are variables; a bare word that names no earlier stage (often a typo, or a stage
    defined further down) is flagged, with the closest stage name as a hint.

    ## Why is this bad?
    BuildKit treats an unknown bare name as a Docker Hub image: a typo in a stage name pulls (or fails to
    pull) `docker.io/library/<name>` instead of copying your build output.

    ## Example
    ```dockerfile
    FROM golang:1.22 AS build
    RUN go build -o /out/app .
    FROM gcr.io/distroless/static-debian12
    COPY --from=biuld /out/app /app
    ```

    ## Use instead
    ```dockerfile
    FROM golang:1.22 AS build
    RUN go build -o /out/app .
    FROM gcr.io/distroless/static-debian12
    COPY --from=build /out/app /app
    ```

    ## References
    - hadolint DL3022
    - https://docs.docker.com/build/building/multi-stage/
    """

    code = "DG014"
    name = "copy-from-unknown-stage"
    triggers = frozenset({"COPY"})
    severity = Severity.WARNING
    message = "COPY --from names no earlier stage"
    equivalents = ("DL3022",)

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        df = ctx.dockerfile
        for stage in df.stages:
            earlier = [s.name for s in df.stages[: stage.index] if s.name]
            for ins in stage.instructions:
                if ins.keyword != "COPY":
                    continue
                ref = ins.flag("from")
                if not ref or "$" in ref or any(c in ref for c in ":/@."):
                    continue
                if ref.isdigit():
                    if int(ref) >= stage.index:
                        yield self.finding(
                            ins, f"COPY --from={ref}: stage {ref} is not defined before this one"
                        )
                    continue
                found = df.stage_by_ref(ref)
                if found is not None and found.index < stage.index:
                    continue
                if found is not None and found.index == stage.index:
                    continue  # DG015
                if found is not None:
                    msg = f"COPY --from={ref}: stage {ref!r} is defined later (line {found.from_.line}); move it up"
                else:
                    from difflib import get_close_matches  # only when there is something to suggest

                    close = get_close_matches(ref.lower(), [n.lower() for n in earlier], n=1)
                    hint = (
                        f" (did you mean {close[0]!r}?)" if close else " (for an image, write it with a tag)"
                    )
                    msg = f"COPY --from={ref}: no earlier stage is named {ref!r}{hint}"
                yield self.finding(ins, msg)
