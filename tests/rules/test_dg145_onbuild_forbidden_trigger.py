from __future__ import annotations

import pytest
from _helpers import run
from dockgen_rules.dg145_onbuild_forbidden_trigger import OnbuildForbiddenTrigger


@pytest.mark.parametrize(
    "text",
    ["FROM a\nONBUILD FROM b\n", "FROM a\nONBUILD ONBUILD RUN x\n", "FROM a\nonbuild maintainer me\n"],
    ids=["from", "onbuild", "maintainer"],
)
def test_catches(text: str) -> None:
    assert [f.line for f in run(OnbuildForbiddenTrigger, text)] == [2]


@pytest.mark.parametrize(
    "text", ["FROM a\nONBUILD RUN make\n", "FROM a\nONBUILD COPY . /app\n"], ids=["run", "copy"]
)
def test_does_not_catch(text: str) -> None:
    assert run(OnbuildForbiddenTrigger, text) == []
