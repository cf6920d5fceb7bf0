from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from dockgen.compile import fix_dockerfile_ir
from dockgen.ir import IRInstruction
from dockgen.lint.config import LintConfig
from dockgen.lint.edits import logical_map
from dockgen.lint.engine import Linter, lint_dockerfile
from dockgen.lint.fix import fix_text
from dockgen.lint.registry import RuleSet, default_ruleset
from dockgen.lint.rule import Finding, Fix, FixAvailability, InstructionRule, LintContext, Replace, Rule
from dockgen.parse import parse_text

CORPUS = Path(__file__).parent.parent / "corpus"


def fixer(ruleset: RuleSet, config: LintConfig, unsafe: bool = False):  # type: ignore[no-untyped-def]
    def go(text: str):  # type: ignore[no-untyped-def]
        return fix_text(
            text, "Dockerfile", lambda df: lint_dockerfile(df, config, ruleset=ruleset), unsafe=unsafe
        )

    return go


MULTILINE = """\
# syntax=docker/dockerfile:1
FROM debian:12

# keep this comment, and the blank line above
RUN apt-get update \\
 && apt-get install \\
        curl \\
    # a comment inside the continuation
        wget   # not a comment: an argument

CMD ["x"]
"""


def test_multiline_instruction_keeps_its_layout(ruleset: RuleSet, all_on: LintConfig) -> None:
    out = fixer(ruleset, all_on)(MULTILINE)
    assert out.text == MULTILINE.replace("apt-get install \\", "apt-get install -y \\")
    assert [f.code for f in out.applied] == ["DG901"]


def test_untouched_bytes_are_identical(ruleset: RuleSet, all_on: LintConfig) -> None:
    text = "FROM a\n\n#  odd   comment\t\nWORKDIR /x\n   run   apt-get install  q   \n\n\n# tail"
    out = fixer(ruleset, all_on)(text).text
    assert out == text.replace("apt-get install  q", "apt-get install -y  q")


def test_casing_of_the_keyword_is_kept(ruleset: RuleSet, all_on: LintConfig) -> None:
    assert (
        fixer(ruleset, all_on)("from a\nrun apt-get install q\n").text == "from a\nrun apt-get install -y q\n"
    )


def test_replacement_by_another_instruction_keeps_indentation(ruleset: RuleSet, all_on: LintConfig) -> None:
    out = fixer(ruleset, all_on)("FROM a\n  MAINTAINER me  \n# end\n").text
    assert out == 'FROM a\n  LABEL org.opencontainers.image.authors="me"  \n# end\n'


def test_deletion_removes_the_whole_line(ruleset: RuleSet, all_on: LintConfig) -> None:
    out = fixer(ruleset, all_on)('FROM a\nCMD ["a"]\n# comment\nCMD ["b"]\n').text
    assert out == 'FROM a\n# comment\nCMD ["b"]\n'


def test_deletion_of_last_line_without_newline(ruleset: RuleSet, all_on: LintConfig) -> None:
    out = fixer(ruleset, LintConfig(select=("DG905",)))('FROM a\nCMD ["a"]\nCMD ["b"]\nCMD ["c"]').text
    assert out == 'FROM a\nCMD ["c"]'


def test_unsafe_fixes_need_opt_in(ruleset: RuleSet, all_on: LintConfig) -> None:
    text = "FROM a\nCMD run --fast\n"
    assert fixer(ruleset, all_on)(text).text == text
    assert fixer(ruleset, all_on, unsafe=True)(text).text == 'FROM a\nCMD ["run", "--fast"]\n'


def test_fixes_iterate_to_a_fixpoint(ruleset: RuleSet, all_on: LintConfig) -> None:
    # round 1 turns the first CMD into exec form, round 2 sees two CMDs and drops the first
    out = fixer(ruleset, LintConfig(select=("DG904", "DG905")), unsafe=True)("FROM a\nCMD a b\nCMD c\n")
    assert out.text == 'FROM a\nCMD ["c"]\n'
    assert out.rounds >= 2


class _NoRecommends(InstructionRule):
    code = "DG960"
    name = "no-recommends"
    message = "m"
    fix_availability = FixAvailability.ALWAYS
    keywords = frozenset({"RUN"})

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        cmd = ins.args[0] if ins.args else ""
        if "apt-get install" in cmd and "--no-install-recommends" not in cmd:
            new = dataclasses.replace(
                ins, args=(cmd.replace("install", "install --no-install-recommends", 1),)
            )
            yield self.finding(ins, fix=Fix("add it", (Replace((ins,), (new,)),)))


def test_overlapping_fixes_are_deferred_to_the_next_round(ruleset: RuleSet) -> None:
    from testrules import AptWithoutYes

    rs = RuleSet.from_classes([AptWithoutYes, _NoRecommends])
    out = fixer(rs, LintConfig())("FROM a\nRUN apt-get update && \\\n    apt-get install curl\n")
    assert (
        out.text == "FROM a\nRUN apt-get update && \\\n    apt-get install --no-install-recommends -y curl\n"
    )
    assert out.rounds == 2


class _Inserts(Rule):
    code = "DG961"
    name = "inserts"
    message = "m"
    fix_availability = FixAvailability.ALWAYS

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        ins = ctx.dockerfile.instructions
        if not any(i.keyword == "USER" for i in ins):
            user = IRInstruction(keyword="USER", args=("10001",), original="USER")
            yield self.finding(ins[-1], fix=Fix("add USER", (Replace((), (user,), after=ins[-1]),)))
        if not any(i.keyword == "ARG" for i in ins):
            arg = IRInstruction(keyword="ARG", original="ARG", pairs=())
            arg = dataclasses.replace(arg, pairs=(__import__("dockgen.ir").ir.KeyValue("V", "1"),))
            yield self.finding(ins[0], fix=Fix("add ARG", (Replace((), (arg,), before=ins[0]),)))


def test_insertions_after_and_before(ruleset: RuleSet) -> None:
    rs = RuleSet.from_classes([_Inserts])
    out = fixer(rs, LintConfig())('# header\nFROM a\n  CMD ["x"]\n# trailing\n')
    # "before" goes above the comments attached to the anchor, so they (and pragmas) stay with it
    assert out.text == 'ARG V=1\n# header\nFROM a\n  CMD ["x"]\n  USER 10001\n# trailing\n'


def test_crlf_line_endings_survive(ruleset: RuleSet, all_on: LintConfig) -> None:
    text = 'FROM a\r\nRUN apt-get install \\\r\n    curl\r\nCMD ["a"]\r\nCMD ["b"]\r\n'
    out = fixer(ruleset, all_on)(text).text
    assert out == 'FROM a\r\nRUN apt-get install -y \\\r\n    curl\r\nCMD ["b"]\r\n'


def test_onbuild_trigger_fix(ruleset: RuleSet) -> None:
    from testrules import AptWithoutYes

    class OnbuildApt(AptWithoutYes):
        include_onbuild = True

    rs = RuleSet.from_classes([OnbuildApt])
    out = fixer(rs, LintConfig())("FROM a\nONBUILD RUN apt-get install q\n").text
    assert out == "FROM a\nONBUILD RUN apt-get install -y q\n"


class _Breaks(InstructionRule):
    code = "DG962"
    name = "breaks"
    message = "m"
    fix_availability = FixAvailability.ALWAYS
    keywords = frozenset({"SHELL"})

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        bad = dataclasses.replace(ins, form="words", args=("not", "json"))
        yield self.finding(ins, fix=Fix("break it", (Replace((ins,), (bad,)),)))


def test_a_fix_producing_unparseable_text_is_not_applied(tmp_path: Path) -> None:
    rs = RuleSet.from_classes([_Breaks])
    f = tmp_path / "Dockerfile"
    f.write_text('FROM a\nSHELL ["/bin/sh", "-c"]\n')
    result = Linter(rs, config=LintConfig()).fix_file(f)
    assert f.read_text() == 'FROM a\nSHELL ["/bin/sh", "-c"]\n'
    assert result.findings[0].code == "INTERNAL" and "DG962" in result.findings[0].message


def test_fix_file_keeps_bom_and_undecodable_bytes(
    ruleset: RuleSet, all_on: LintConfig, tmp_path: Path
) -> None:
    f = tmp_path / "Dockerfile"
    f.write_bytes(b"\xef\xbb\xbfFROM a\n# caf\xe9 (latin-1)\nRUN apt-get install q\n")
    result = Linter(ruleset, config=all_on).fix_file(f)
    assert f.read_bytes() == b"\xef\xbb\xbfFROM a\n# caf\xe9 (latin-1)\nRUN apt-get install -y q\n"
    assert result.fixes_applied == 1
    again = Linter(ruleset, config=all_on).fix_file(f)
    assert again.new_text is None and again.fixes_applied == 0


def test_logical_map_drops_continuations_and_inner_comments() -> None:
    src = "RUN a \\\n  # c\n\n  b\\\n  c"
    logical, offs = logical_map(src, 0, len(src))
    assert logical == "RUN a   b  c"
    assert [src[o] for o in offs] == list(logical)


def test_fix_dockerfile_ir(ruleset: RuleSet, all_on: LintConfig) -> None:
    df = parse_text('FROM a\nMAINTAINER me\nRUN apt-get install q\nCMD ["a"]\nCMD ["b"]\n')
    fixed = fix_dockerfile_ir(df, all_on, ruleset=ruleset)
    assert [i.keyword for i in fixed.instructions] == ["FROM", "LABEL", "RUN", "CMD"]
    assert fixed.instructions[2].args == ("apt-get install -y q",)
    assert lint_dockerfile(fixed, all_on, ruleset=ruleset, from_declaration=True) == []


# ---- the real rule pack on the shared corpus ------------------------------------------------------------

CORPUS_FILES = sorted(CORPUS.glob("*")) if CORPUS.is_dir() else []


def _parses(text: str) -> bool:
    try:
        parse_text(text)
    except Exception:
        return False
    return True


@pytest.mark.parametrize("path", CORPUS_FILES, ids=[p.name for p in CORPUS_FILES])
def test_corpus_fix_is_idempotent(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="surrogateescape")
    if not _parses(text):
        pytest.skip("not parseable on purpose")
    rs = default_ruleset()
    cfg = LintConfig(select=("ALL",))
    first = fixer(rs, cfg, unsafe=True)(text)
    assert first.broken is None
    assert _parses(first.text)
    second = fixer(rs, cfg, unsafe=True)(first.text)
    assert second.text == first.text, [f.code for f in second.applied]


LOOP_RUN = """\
FROM alpine:3.20
RUN set -eux; \\
\tapk add curl; \\
\t\\
\t# fetch each tool
\tfor f in a b; do \\
\t\twget -O "/tmp/$f" "https://example.com/$f"; \\
\tdone; \\
# a comment in column 1
\tfetchDeps=' \\
\t\tgnupg \\
\t'; \\
\techo "$fetchDeps"
"""


def test_one_word_fix_edits_only_that_word() -> None:
    """A fix that adds one option to a RUN with a loop, comments, tabs, blank continuation lines and a
    multi-line quoted string changes that word and not one other byte (it used to re-render the RUN)."""
    linter = Linter()
    out = fix_text(LOOP_RUN, "Dockerfile", lambda df: linter.lint_df(df, None), unsafe=True)
    assert "DG047" in {f.code for f in out.applied}
    assert out.text == LOOP_RUN.replace("apk add curl", "apk add --no-cache curl")
