"""Shared fixtures for the lint engine tests: a small rule set independent of the built-in pack."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))

from testrules import ALL_RULES

from dockgen.lint.config import LintConfig
from dockgen.lint.registry import RuleSet


@pytest.fixture(scope="session")
def ruleset() -> RuleSet:
    return RuleSet.from_classes(ALL_RULES)


@pytest.fixture
def all_on() -> LintConfig:
    """Every test rule but the crashing one."""
    return LintConfig(select=("ALL",), ignore=("DG907",))
