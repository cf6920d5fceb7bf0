from __future__ import annotations

import pytest
from _helpers import lines, run
from dockgen_rules.dg111_workdir_system_directory import WorkdirSystemDirectory

CATCHES = [
    pytest.param("FROM alpine\nWORKDIR /proc/self\n", [2], id="proc"),
    pytest.param("FROM alpine\nWORKDIR /sys\n", [2], id="sys"),
    pytest.param("FROM alpine\nWORKDIR /dev/shm\n", [2], id="dev"),
    pytest.param("FROM alpine\nWORKDIR /usr/bin\n", [2], id="usr-bin"),
    pytest.param("FROM alpine\nWORKDIR /usr/lib/app\n", [2], id="below-usr-lib"),
    pytest.param("FROM alpine\nWORKDIR /etc\n", [2], id="etc"),
    pytest.param("FROM alpine\nWORKDIR /usr/./bin/\n", [2], id="unclean"),
]
CLEAN = [
    pytest.param("FROM alpine\nWORKDIR /app\n", id="app"),
    pytest.param("FROM nginx\nWORKDIR /etc/nginx\n", id="config-dir"),
    pytest.param("FROM alpine\nWORKDIR /usr/src/app\n", id="usr-src"),
    pytest.param("FROM alpine\nWORKDIR /var/www\n", id="var-www"),
    pytest.param("FROM alpine\nWORKDIR /\n", id="root"),
    pytest.param("FROM alpine\nWORKDIR /library\n", id="prefix-only"),
    pytest.param("FROM alpine\nWORKDIR $DIR\n", id="variable"),
]


@pytest.mark.parametrize(("text", "expected"), CATCHES)
def test_catches(text: str, expected: list[int]) -> None:
    assert lines(run(WorkdirSystemDirectory, text)) == expected


@pytest.mark.parametrize("text", CLEAN)
def test_does_not_catch(text: str) -> None:
    assert run(WorkdirSystemDirectory, text) == []
