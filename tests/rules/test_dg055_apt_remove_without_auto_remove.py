"""Tests for DG055 apt-remove-without-auto-remove (dg055_apt_remove_without_auto_remove)."""

from __future__ import annotations

import pytest
from _helpers import fixed, run
from dockgen_rules.dg055_apt_remove_without_auto_remove import AptRemoveWithoutAutoRemove

CATCHES = [
    (
        "remove-build-essential",
        "FROM debian:bookworm\nRUN apt-get install -y build-essential && make && apt-get remove -y build-essential\n",
        [2],
    ),
    ("apt-purge-gcc", "FROM debian:bookworm\nRUN apt install -y gcc && make && apt purge -y gcc\n", [2]),
    ("headers", "FROM ubuntu:24.04\nRUN apt-get purge -y libssl-dev pkg-config\n", [2]),
]

DOES_NOT_CATCH = [
    (
        "auto-remove",
        "FROM debian:bookworm\nRUN apt-get install -y gcc && apt-get purge -y --auto-remove gcc\n",
    ),
    ("autoremove-later", "FROM debian:bookworm\nRUN apt-get remove -y gcc && apt-get autoremove -y\n"),
    ("not-build-packages", "FROM debian:bookworm\nRUN apt-get remove -y curl\n"),
    (
        "builder-stage",
        "FROM debian:bookworm AS b\nRUN apt-get remove -y gcc\nFROM debian:bookworm\nCOPY --from=b /x /x\n",
    ),
]


@pytest.mark.parametrize(("text", "lines"), [pytest.param(t, n, id=i) for i, t, n in CATCHES])
def test_catches(text: str, lines: list[int]) -> None:
    findings = run(AptRemoveWithoutAutoRemove, text)
    assert sorted(f.line for f in findings) == lines
    assert all(f.code == "DG055" for f in findings)


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in DOES_NOT_CATCH])
def test_does_not_catch(text: str) -> None:
    assert run(AptRemoveWithoutAutoRemove, text) == []


SAFE = "FROM debian:bookworm\nRUN apt-get update && apt-get install -y gcc && make && apt-get remove -y gcc\n"
SAFE_FIXED = "FROM debian:bookworm\nRUN apt-get update && apt-get install -y gcc && make && apt-get remove --auto-remove -y gcc\n"


def test_fix_is_safe_when_the_run_installed_everything_it_removes() -> None:
    assert fixed(AptRemoveWithoutAutoRemove, SAFE, unsafe=False) == SAFE_FIXED


UNSAFE = [
    # gcc was there before this RUN: autoremove may take what an earlier step relied on
    (
        "installed-earlier",
        "FROM debian:bookworm\nRUN apt-get install -y gcc\nRUN make && apt-get remove -y gcc\n",
    ),
    # an earlier removal may have left orphans that autoremove would now take too
    (
        "earlier-removal",
        "FROM debian:bookworm\nRUN apt-get remove -y curl\nRUN apt-get install -y gcc && apt-get remove -y gcc\n",
    ),
    # a base image whose package marks are unknown
    ("other-base", "FROM python:3.12\nRUN apt-get install -y gcc && apt-get remove -y gcc\n"),
]


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in UNSAFE])
def test_fix_is_unsafe_otherwise(text: str) -> None:
    (finding,) = run(AptRemoveWithoutAutoRemove, text)
    assert finding.fix is not None and not finding.fix.safe
    assert fixed(AptRemoveWithoutAutoRemove, text, unsafe=False) == text
    assert "--auto-remove" in fixed(AptRemoveWithoutAutoRemove, text, unsafe=True)
