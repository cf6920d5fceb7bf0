"""RetentionPolicy: classification, verdicts, configuration (pure; no registry)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dockgen.errors import ConfigError
from dockgen.lifecycle import (
    RetentionPolicy,
    TagState,
    classify_tag,
    decide,
    find_policy_config,
    load_policy,
)
from dockgen.lifecycle.retention import parse_time

NOW = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
D = "sha256:" + "a" * 64
PROD = RetentionPolicy(envs=("prod", "staging"))


@pytest.mark.parametrize(
    ("tag", "kind", "env"),
    [
        ("1.2.3", "release", ""),
        ("v1.2.3", "release", ""),
        ("1.2.3.post1", "release", ""),
        ("1.2.3_build5", "release", ""),
        ("2.1.0-prod", "release", "prod"),
        ("2.1.0-rc.1-prod", "prerelease", "prod"),
        ("1.2.3-rc.1", "prerelease", ""),
        ("1.2.3rc1", "prerelease", ""),
        ("1.3.0.dev4", "prerelease", ""),
        ("latest", "alias", ""),
        ("latest-staging", "alias", "staging"),
        ("1.2", "alias", ""),
        ("v1", "alias", ""),
        ("1", "other", ""),
        ("42", "other", ""),
        ("20250101120000", "other", ""),
        ("build-17", "other", ""),
        ("sha-abc1234", "sha", ""),
        ("sha-abc1234-dirty", "sha", ""),
        ("sha-abc1234-prod", "sha", "prod"),
        ("main", "branch", ""),
        ("feature-login", "branch", ""),
        ("prod", "branch", ""),
        ("sha-nothex", "branch", ""),
        ("sha256-" + "b" * 64, "artifact", ""),
        ("sha256-" + "b" * 64 + ".sig", "artifact", ""),
        ("sha256-" + "b" * 64 + ".att", "artifact", ""),
        ("sha256-" + "b" * 63, "branch", ""),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 30 else None,
)
def test_classify(tag: str, kind: str, env: str) -> None:
    c = classify_tag(tag, PROD)
    assert (c.kind, c.env) == (kind, env)


def test_env_suffix_without_declared_env_reads_as_prerelease() -> None:
    assert classify_tag("2.1.0-prod", RetentionPolicy()).kind == "prerelease"


def _states(*items: tuple[str, int | None]) -> list[TagState]:
    return [
        TagState(
            t,
            D,
            None if age is None else NOW - dt.timedelta(days=age),
            "unknown" if age is None else "annotation",
        )
        for t, age in items
    ]


def _verdicts(policy: RetentionPolicy, *items: tuple[str, int | None]) -> dict[str, str]:
    return {d.tag: d.action for d in decide(_states(*items), policy, NOW)}


@pytest.mark.parametrize(
    ("policy", "items", "expected"),
    [
        pytest.param(
            RetentionPolicy(keep_last_releases=2),
            [("1.0.0", 500), ("1.1.0", 1), ("2.0.0", 1), ("1.0.1", 0)],
            {"1.0.0": "delete", "1.1.0": "keep", "2.0.0": "keep", "1.0.1": "delete"},
            id="releases-ranked-by-version-not-age",
        ),
        pytest.param(
            RetentionPolicy(keep_last_releases=1),
            [("1.2.3", 1), ("v1.2.3", 1), ("1.2.2", 1)],
            {"1.2.3": "keep", "v1.2.3": "keep", "1.2.2": "delete"},
            id="same-version-two-spellings-one-rank",
        ),
        pytest.param(
            RetentionPolicy(keep_last_releases=1, envs=("prod",)),
            [("1.0.0-prod", 9), ("2.0.0-prod", 9), ("1.5.0", 9), ("1.4.0", 9)],
            {"1.0.0-prod": "delete", "2.0.0-prod": "keep", "1.5.0": "keep", "1.4.0": "delete"},
            id="per-env-release-groups",
        ),
        pytest.param(
            RetentionPolicy(max_age_days=30),
            [("main", 31), ("feature-x", 29), ("sha-abc1234", 400), ("1.0.0-rc.1", 31), ("42", None)],
            {
                "main": "delete",
                "feature-x": "keep",
                "sha-abc1234": "delete",
                "1.0.0-rc.1": "delete",
                "42": "keep",
            },
            id="age-rule-unknown-age-kept",
        ),
        pytest.param(
            RetentionPolicy(max_age_days=None),
            [("main", 4000)],
            {"main": "keep"},
            id="no-age-limit",
        ),
        pytest.param(
            RetentionPolicy(
                keep_last_releases=0, keep_patterns=("1.0.*", "re:^pr-[0-9]+$"), always_keep=("main",)
            ),
            [("1.0.0", 9), ("2.0.0", 9), ("pr-12", 999), ("pr-x", 999), ("main", 999)],
            {"1.0.0": "keep", "2.0.0": "delete", "pr-12": "keep", "pr-x": "delete", "main": "keep"},
            id="pins-win",
        ),
        pytest.param(
            RetentionPolicy(),
            [("latest", 999), ("1.2", 999), ("sha256-" + "c" * 64 + ".sig", 999)],
            {"latest": "keep", "1.2": "delete", "sha256-" + "c" * 64 + ".sig": "follow"},
            id="aliases-are-candidates-artifacts-follow",
        ),
    ],
)
def test_decide(
    policy: RetentionPolicy, items: list[tuple[str, int | None]], expected: dict[str, str]
) -> None:
    assert _verdicts(policy, *items) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-01T12:00:00Z", dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC)),
        ("2024-05-01T12:00:00.123456789Z", dt.datetime(2024, 5, 1, 12, 0, 0, 123456, tzinfo=dt.UTC)),
        ("2024-05-01T14:00:00+02:00", dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC)),
        ("yesterday", None),
        ("", None),
    ],
)
def test_parse_time(text: str, expected: dt.datetime | None) -> None:
    assert parse_time(text) == expected


def test_policy_is_frozen_and_strict() -> None:
    p = RetentionPolicy()
    with pytest.raises(ValueError):
        p.keep_last_releases = 3  # type: ignore[misc]
    with pytest.raises(ValueError, match="extra"):
        RetentionPolicy(keep_forever=True)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="regular expression"):
        RetentionPolicy(keep_patterns=("re:(",))
    with pytest.raises(ValueError, match="suffix"):
        RetentionPolicy(envs=("no/slash",))


def test_config_in_pyproject(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.dockgen.retention]\nkeep-last-releases = 3\nmax_age_days = 14\n'
        'keep-patterns = ["release-*"]\nenvs = ["prod"]\n'
    )
    sub = tmp_path / "deploy"
    sub.mkdir()
    found = find_policy_config(sub)
    assert found == tmp_path / "pyproject.toml"
    assert load_policy(found) == RetentionPolicy(
        keep_last_releases=3, max_age_days=14, keep_patterns=("release-*",), envs=("prod",)
    )


def test_config_in_dockgen_toml_wins_in_its_directory(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.dockgen.retention]\nkeep-last-releases = 3\n")
    (tmp_path / "dockgen.toml").write_text("[retention]\nkeep-last-releases = 7\n")
    found = find_policy_config(tmp_path)
    assert found is not None and load_policy(found).keep_last_releases == 7


@pytest.mark.parametrize(
    ("body", "message", "line"),
    [
        ("[retention]\nkeep-last = 3\n", "keep-last: unknown key", 2),
        ("[retention]\n\nmax-age-days = -1\n", "max-age-days", 3),
        ('[retention]\nkeep-patterns = ["re:("]\n', "keep-patterns", 2),
        ("[retention\n", "invalid TOML", 1),
    ],
    ids=["unknown-key", "negative", "bad-regex", "bad-toml"],
)
def test_config_errors_name_file_and_line(tmp_path: Path, body: str, message: str, line: int) -> None:
    path = tmp_path / "dockgen.toml"
    path.write_text(body)
    with pytest.raises(ConfigError) as info:
        load_policy(path)
    assert message in str(info.value)
    assert info.value.file == str(path) and info.value.line == line


@pytest.mark.parametrize(
    ("annotations", "expected"),
    [
        ({"io.dockgen.pushed-at": "2025-01-01T00:00:00Z"}, dt.datetime(2025, 1, 1, tzinfo=dt.UTC)),
        (
            {"manifest,index:io.dockgen.pushed-at": "2025-01-01T00:00:00Z"},
            dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        ),
        ({"io.dockgen.pushed-at": "not a time"}, None),
        ({"org.opencontainers.image.created": "2025-01-01T00:00:00Z"}, None),
    ],
    ids=["plain-key", "buildx-0.13-literal-multi-level-key", "garbage", "other-key"],
)
def test_pushed_at_annotation(annotations: dict[str, str], expected: dt.datetime | None) -> None:
    from dockgen.lifecycle.retention import _pushed_at_annotation

    assert _pushed_at_annotation(annotations) == expected
