from __future__ import annotations

import pytest
from _helpers import lines, only_replacement, run
from dockgen_rules.dg121_multiple_cmd import MultipleCmd
from dockgen_rules.dg122_multiple_entrypoint import MultipleEntrypoint
from dockgen_rules.dg123_multiple_healthcheck import MultipleHealthcheck

from dockgen.lint.rule import Rule

CATCHES = [
    pytest.param(MultipleCmd, "FROM alpine\nCMD a\nCMD b\n", [2], id="cmd"),
    pytest.param(MultipleCmd, "FROM alpine\nCMD a\nRUN x\nCMD b\nCMD c\n", [2, 4], id="cmd-three"),
    pytest.param(MultipleEntrypoint, "FROM alpine\nENTRYPOINT a\nENTRYPOINT b\n", [2], id="entrypoint"),
    pytest.param(
        MultipleHealthcheck, "FROM alpine\nHEALTHCHECK CMD a\nHEALTHCHECK NONE\n", [2], id="healthcheck"
    ),
]
CLEAN = [
    pytest.param(MultipleCmd, "FROM alpine\nCMD a\nFROM alpine\nCMD b\n", id="cmd-per-stage"),
    pytest.param(MultipleCmd, "FROM alpine\nCMD a\nHEALTHCHECK CMD b\n", id="healthcheck-cmd-is-not-cmd"),
    pytest.param(MultipleCmd, "FROM alpine\nONBUILD CMD a\nCMD b\n", id="onbuild-cmd"),
    pytest.param(MultipleEntrypoint, "FROM alpine\nENTRYPOINT a\nCMD b\n", id="entrypoint-and-cmd"),
    pytest.param(MultipleHealthcheck, "FROM alpine\nHEALTHCHECK CMD a\n", id="one-healthcheck"),
]


@pytest.mark.parametrize(("rule", "text", "expected"), CATCHES)
def test_catches(rule: type[Rule], text: str, expected: list[int]) -> None:
    assert lines(run(rule, text)) == expected


@pytest.mark.parametrize(("rule", "text"), CLEAN)
def test_does_not_catch(rule: type[Rule], text: str) -> None:
    assert run(rule, text) == []


def test_fix_removes_the_overridden_instruction() -> None:
    (finding,) = run(MultipleCmd, "FROM alpine\nCMD a\nCMD b\n")
    assert only_replacement(finding) == ()
    assert finding.fix is not None and finding.fix.safe
