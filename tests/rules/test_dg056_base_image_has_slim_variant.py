"""Tests for DG056 base-image-has-slim-variant (dg056_base_image_has_slim_variant)."""

from __future__ import annotations

import pytest
from _helpers import fixed, run
from dockgen_rules.dg056_base_image_has_slim_variant import BaseImageHasSlimVariant, slim_tag

SLIM = [
    ("debian", "bookworm", "bookworm-slim"),
    ("debian", "12", "12-slim"),
    ("library/debian", "trixie", "trixie-slim"),
    ("python", "3.12", "3.12-slim"),
    ("python", "3.12.4", "3.12.4-slim"),
    ("python", "3.12-bookworm", "3.12-slim-bookworm"),
    ("node", "20", "20-slim"),
    ("node", "20-bookworm", "20-bookworm-slim"),
    ("ruby", "3.3", "3.3-slim"),
]

NOT_SLIMMED = [
    ("debian", "bookworm-slim"),
    ("python", "3.12-slim"),
    ("python", "3.12-alpine"),
    ("node", "20-alpine"),
    ("golang", "1.22"),
    ("ubuntu", "24.04"),
    ("ghcr.io/acme/python", "3.12"),
]


@pytest.mark.parametrize(("repo", "tag", "slim"), SLIM)
def test_slim_tag(repo: str, tag: str, slim: str) -> None:
    assert slim_tag(repo, tag) == slim


@pytest.mark.parametrize(("repo", "tag"), NOT_SLIMMED)
def test_no_slim_tag(repo: str, tag: str) -> None:
    assert slim_tag(repo, tag) is None


def test_only_stages_that_ship() -> None:
    text = "FROM debian:bookworm AS build\nRUN make\nFROM debian:bookworm\nCOPY --from=build /x /x\n"
    assert [f.line for f in run(BaseImageHasSlimVariant, text)] == [3]


def test_fix_is_unsafe_and_keeps_the_stage_name() -> None:
    text = 'FROM python:3.12-bookworm AS app\nCMD ["python"]\n'
    assert fixed(BaseImageHasSlimVariant, text, unsafe=False) == text
    assert (
        fixed(BaseImageHasSlimVariant, text, unsafe=True)
        == 'FROM python:3.12-slim-bookworm AS app\nCMD ["python"]\n'
    )


def test_digest_pinned_base_has_no_fix() -> None:
    (finding,) = run(BaseImageHasSlimVariant, "FROM debian:bookworm@sha256:" + "a" * 64 + "\n")
    assert finding.fix is None
