"""DG162: ``wget`` without a progress setting floods the build log."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.ir import Dockerfile, Stage
from dockgen.lint.rule import Finding, Fix, LintContext, Replace, Rule, Severity
from dockgen.shell import Word, has_flag, run_commands
from dockgen_rules.dg102_copy_relative_destination_without_workdir import stage_chain
from dockgen_rules.dg154_useradd_without_no_log_init import editable, insert_words

_QUIET = (
    "--progress",
    "-q",
    "--quiet",
    "-nv",
    "--no-verbose",
    "-o",
    "--output-file",
    "-a",
    "--append-output",
)


def _busybox(df: Dockerfile, stage: Stage) -> bool:
    base = stage_chain(df, stage)[-1].base.lower()
    return "alpine" in base or "busybox" in base


class WgetWithoutProgress(Rule):
    """
    ## What it does
    Flags `wget` without `--progress`, `-q`/`--quiet`, `-nv`/`--no-verbose` or a log file (`-o`/`-a`).

    ## Why is this bad?
    Without a terminal wget prints a progress line every few kilobytes: a large download adds thousands of
    lines to the build log. The fix adds `--progress=dot:giga` (one dot per megabyte); on Alpine and BusyBox
    bases, whose `wget` does not know that option, it adds `-q`.

    ## Example
    ```dockerfile
    FROM debian:bookworm-slim
    RUN wget -O /tmp/tool.tgz https://example.com/tool.tgz
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm-slim
    RUN wget --progress=dot:giga -O /tmp/tool.tgz https://example.com/tool.tgz
    ```

    ## References
    - hadolint DL3047
    """

    code = "DG162"
    name = "wget-without-progress"
    severity = Severity.INFO
    message = "wget without --progress floods the build log"
    fixable = "safe"
    equivalents = ("DL3047",)

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        df = ctx.dockerfile
        for stage in ctx.stages:
            option = "-q" if _busybox(df, stage) else "--progress=dot:giga"
            for ins in stage.instructions:
                if ins.keyword != "RUN":
                    continue
                words: list[Word] = []
                fixable = True
                for cmd in run_commands(ins):
                    if cmd.name != "wget" or has_flag(cmd, *_QUIET):
                        continue
                    words.append(cmd.words[0])
                    fixable = fixable and editable(cmd, ins)
                if not words:
                    continue
                fix = None
                if fixable:
                    new = insert_words(ins, [(w.end, option) for w in words])
                    fix = Fix(f"add {option} to wget", (Replace(targets=(ins,), replacement=(new,)),))
                yield self.finding(
                    ins, f"wget without --progress floods the build log: add {option}", fix=fix
                )
