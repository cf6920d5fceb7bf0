"""DG018: a stage the target never uses."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen._lazyre import lazy_compile
from dockgen.ir import Dockerfile, IRStage
from dockgen.lint.rule import Finding, LintContext, Rule, Severity

#: Stage names that are conventionally built on purpose with ``--target``.
_TARGET_NAME = lazy_compile(
    r"(?i)^(?:(?:test|tests|testing|unittest|dev|develop|development|devcontainer|debug|lint|ci|e2e|"
    r"integration|docs|local|prod|production|release)(?:[-_.].*)?|.*[-_.](?:test|tests|dev|debug|lint|ci|e2e))$"
)


def built_on_purpose(stage: IRStage) -> bool:
    """A named stage that looks like a ``--target``: a conventional name, or its own CMD/ENTRYPOINT."""
    if not stage.name:
        return False
    if _TARGET_NAME.match(stage.name):
        return True
    return any(ins.keyword in ("CMD", "ENTRYPOINT") for ins in stage.instructions)


def stage_dependencies(df: Dockerfile, stage: IRStage) -> tuple[set[int], bool]:
    """Indexes of the stages ``stage`` uses (FROM, COPY --from, RUN --mount from=), and whether a reference
    contains a variable (then anything could be used)."""
    refs: list[str] = [stage.base]
    for ins in stage.instructions:
        targets = [ins, ins.sub] if ins.sub is not None else [ins]
        for item in targets:
            if item is None:
                continue
            if item.keyword in ("COPY", "ADD") and item.flag("from"):
                refs.append(item.flag("from") or "")
            if item.keyword == "RUN":
                refs.extend(m["from"] for m in item.mounts if m.get("from"))
    out: set[int] = set()
    dynamic = False
    for ref in refs:
        if "$" in ref:
            dynamic = True
            continue
        found = df.stage_by_ref(ref)
        if found is not None and found.index != stage.index:
            out.add(found.index)
    return out, dynamic


class UnusedStage(Rule):
    """
    ## What it does
    Flags stages that the built stage (the last one, or the configured `target`) does not reach through
    `FROM <stage>`, `COPY --from=<stage>` or `RUN --mount=from=<stage>`, directly or indirectly. Stages you
    build on purpose with `--target` (a `test` or `dev` stage) can be listed in the `targets` option. When a
    reference uses a variable the rule stays silent (anything could be used).

    Named stages that look like deliberate `--target`s are not flagged, nor what they use: a stage with its
    own `CMD` or `ENTRYPOINT` (a runnable image in its own right), and conventional target names (`test`,
    `dev`, `debug`, `lint`, `ci`, `e2e`, `docs`, `prod`, `release`, also with a suffix such as `test-unit`
    or a prefix such as `api-dev`). Unnamed stages cannot be a `--target` and are always checked.

    ## Why is this bad?
    BuildKit skips unreachable stages, so their instructions never run for this target: they are dead code
    that readers still have to understand, or a sign that a `COPY --from` was forgotten.

    ## Example
    ```dockerfile
    FROM node:20 AS assets
    RUN echo build assets
    FROM nginx:1.27
    COPY site /usr/share/nginx/html
    ```

    ## Use instead
    ```dockerfile
    FROM node:20 AS assets
    RUN echo build assets
    FROM nginx:1.27
    COPY --from=assets / /usr/share/nginx/html
    ```

    ## Options
    - `targets` (list of stage names): extra stages built on purpose with `--target`; they and what they use
      count as used.
    - `target` (string): the stage that is built (default: the last one).

    ## References
    - no equivalent in hadolint, BuildKit, Trivy or Checkov
    - https://docs.docker.com/build/building/multi-stage/#stop-at-a-specific-build-stage
    """

    code = "DG018"
    name = "unused-stage"
    severity = Severity.INFO
    message = "stage is not used by the build target"
    options_used = ("targets", "target")

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        df = ctx.dockerfile
        final = ctx.final_stage
        if final is None or len(df.stages) < 2:
            return
        roots = [final.index] + [s.index for s in df.stages if s is not final and built_on_purpose(s)]
        extra = ctx.option("targets") or []
        if isinstance(extra, str):
            extra = extra.split(",")
        for name in extra:
            found = df.stage_by_ref(str(name).strip())
            if found is not None:
                roots.append(found.index)
        deps: dict[int, set[int]] = {}
        for stage in df.stages:
            used, dynamic = stage_dependencies(df, stage)
            if dynamic:
                return
            deps[stage.index] = used
        reached: set[int] = set()
        todo = list(roots)
        while todo:
            idx = todo.pop()
            if idx in reached:
                continue
            reached.add(idx)
            todo.extend(deps.get(idx, ()))
        target = final.name or f"stage {final.index}"
        for stage in df.stages:
            if stage.index not in reached:
                label = repr(stage.name) if stage.name else f"{stage.index} (unnamed)"
                yield self.finding(
                    stage.from_,
                    f"stage {label} is not used by {target!r}: remove it, COPY from it, or list it in `targets`",
                )
