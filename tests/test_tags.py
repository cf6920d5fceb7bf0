"""dockgen.tags: tables for every rule, and properties checked over generated release histories."""

from __future__ import annotations

import contextlib
import random
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from dockgen.errors import DockgenError
from dockgen.reference import (
    MAX_TAG_LENGTH,
    image_reference,
    registry_looks_like_namespace,
    repository_name,
    validate_registry,
    validate_repository,
    validate_tag,
)
from dockgen.tags import (
    GitState,
    TagPolicy,
    compute_tags,
    explain_tags,
    sanitize_branch,
    template_fields,
)
from dockgen.versions import Version, dev_version, parse_version, try_parse_version

NOW = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
GIT = GitState(
    sha="abc1234def5678abc1234def5678abc1234def5", branch="main", tag=None, dirty=False, commit_time=0
)
NO_SHA = TagPolicy(sha=False)


def tags(
    version: str | None, *existing: str, env: str | None = None, policy: TagPolicy = NO_SHA
) -> list[str]:
    return compute_tags(version, env=env, existing=existing, git=GIT, policy=policy, now=NOW)


# --------------------------------------------------------------------------------------------------------
# parsing
# --------------------------------------------------------------------------------------------------------

PARSE = [
    # text, scheme, canonical text, release, pre, post, dev, build, stable
    ("1.2.3", "semver", "1.2.3", (1, 2, 3), None, None, None, None, True),
    ("v1.2.3", "semver", "1.2.3", (1, 2, 3), None, None, None, None, True),
    ("V1.2.3", "semver", "1.2.3", (1, 2, 3), None, None, None, None, True),
    ("1.2.0-rc.1", "semver", "1.2.0-rc.1", (1, 2, 0), "rc.1", None, None, None, False),
    ("1.2.0-alpha-2.x.7", "semver", "1.2.0-alpha-2.x.7", (1, 2, 0), "alpha-2.x.7", None, None, None, False),
    ("1.2.3+abc", "semver", "1.2.3+abc", (1, 2, 3), None, None, None, "abc", True),
    ("1.2.3-rc.1+b.5", "semver", "1.2.3-rc.1+b.5", (1, 2, 3), "rc.1", None, None, "b.5", False),
    (
        "1.2.1-dev.5+gabc1234",
        "semver",
        "1.2.1-dev.5+gabc1234",
        (1, 2, 1),
        "dev.5",
        None,
        None,
        "gabc1234",
        False,
    ),
    ("1.2.0-1", "semver", "1.2.0-1", (1, 2, 0), "1", None, None, None, False),
    ("0.0.0", "semver", "0.0.0", (0, 0, 0), None, None, None, None, True),
    ("1.2", "pep440", "1.2", (1, 2), None, None, None, None, True),
    ("1", "pep440", "1", (1,), None, None, None, None, True),
    ("1.2.0.1", "pep440", "1.2.0.1", (1, 2, 0, 1), None, None, None, None, True),
    ("1.2.0rc1", "pep440", "1.2.0rc1", (1, 2, 0), "rc1", None, None, None, False),
    ("1.2.0RC1", "pep440", "1.2.0rc1", (1, 2, 0), "rc1", None, None, None, False),
    ("1.2.0c1", "pep440", "1.2.0rc1", (1, 2, 0), "rc1", None, None, None, False),
    ("1.2.0.preview.2", "pep440", "1.2.0rc2", (1, 2, 0), "rc2", None, None, None, False),
    ("1.2.0alpha", "pep440", "1.2.0a0", (1, 2, 0), "a0", None, None, None, False),
    ("1.2.0.beta3", "pep440", "1.2.0b3", (1, 2, 0), "b3", None, None, None, False),
    ("1.2.0.post1", "pep440", "1.2.0.post1", (1, 2, 0), None, 1, None, None, True),
    ("1.2.0post", "pep440", "1.2.0.post0", (1, 2, 0), None, 0, None, None, True),
    ("1.2.0.rev2", "pep440", "1.2.0.post2", (1, 2, 0), None, 2, None, None, True),
    ("1.2.dev3", "pep440", "1.2.dev3", (1, 2), None, None, 3, None, False),
    ("1.2.0.dev3", "pep440", "1.2.0.dev3", (1, 2, 0), None, None, 3, None, False),
    ("1.2.0rc1.post2.dev3", "pep440", "1.2.0rc1.post2.dev3", (1, 2, 0), "rc1", 2, 3, None, False),
    ("1.2.0.post1.dev2", "pep440", "1.2.0.post1.dev2", (1, 2, 0), None, 1, 2, None, False),
    ("1.2.0+Ubuntu-1_x", "pep440", "1.2.0+ubuntu.1.x", (1, 2, 0), None, None, None, "ubuntu.1.x", True),
    ("01.02.03", "pep440", "1.2.3", (1, 2, 3), None, None, None, None, True),
    ("0!1.2", "pep440", "1.2", (1, 2), None, None, None, None, True),
    ("2024.05", "pep440", "2024.5", (2024, 5), None, None, None, None, True),
]


@pytest.mark.parametrize(
    ("text", "scheme", "canonical", "release", "pre", "post", "dev", "build", "stable"),
    PARSE,
    ids=[p[0] for p in PARSE],
)
def test_parse_version(
    text: str,
    scheme: str,
    canonical: str,
    release: tuple[int, ...],
    pre: str | None,
    post: int | None,
    dev: int | None,
    build: str | None,
    stable: bool,
) -> None:
    v = parse_version(text)
    assert (v.scheme, v.text, v.release, v.pre, v.post, v.dev, v.build, v.stable) == (
        scheme,
        canonical,
        release,
        pre,
        post,
        dev,
        build,
        stable,
    )
    assert str(v) == canonical


NOT_VERSIONS = [
    "",
    "latest",
    "nightly",
    "1.2.3-",
    "1.2.3+",
    "1.2.3-rc..1",
    "v",
    "vv1.2.3",
    "1.2.3 4",
    "1..2",
    "-1.2",
]


@pytest.mark.parametrize("text", NOT_VERSIONS, ids=[repr(t) for t in NOT_VERSIONS])
def test_not_a_version(text: str) -> None:
    assert try_parse_version(text) is None
    with pytest.raises(DockgenError, match="neither a SemVer") as err:
        parse_version(text)
    assert err.value.hint and "template" in err.value.hint


@pytest.mark.parametrize("text", ["1!2.0", "2!1.2.3rc1"])
def test_epoch_rejected_clearly(text: str) -> None:
    with pytest.raises(DockgenError, match="epoch") as err:
        parse_version(text)
    assert "'!'" in err.value.message


ORDER = [  # each list strictly increasing among stable versions
    ["1.0.0", "1.0.0.post1", "1.0.1", "1.1", "1.1.0.1", "1.2.0", "2", "10.0.0"],
    ["0.9", "0.10", "0.10.0.post2", "0.10.1"],
]


@pytest.mark.parametrize("chain", ORDER, ids=["mixed", "zero"])
def test_stable_order(chain: list[str]) -> None:
    keys = [parse_version(v).stable_key() for v in chain]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)


def test_trailing_zeros_are_equal() -> None:
    assert (
        parse_version("1.2").stable_key()
        == parse_version("1.2.0").stable_key()
        == parse_version("v1.2.0.0").stable_key()
    )


# --------------------------------------------------------------------------------------------------------
# version tags and the forward-only rule
# --------------------------------------------------------------------------------------------------------

CASES = [
    # id, version, existing, env, expected tags
    ("first-release", "1.2.3", [], None, ["1.2.3", "1.2", "1", "latest"]),
    ("v-stripped", "v1.2.3", [], None, ["1.2.3", "1.2", "1", "latest"]),
    ("newer-patch", "1.2.4", ["1.2.3", "1.2", "1", "latest"], None, ["1.2.4", "1.2", "1", "latest"]),
    ("old-line-patched", "1.1.9", ["2.0.0", "1.1.8", "1.2.0"], None, ["1.1.9", "1.1"]),
    ("old-patch-in-line", "1.2.3", ["1.2.5"], None, ["1.2.3"]),
    ("old-minor-in-major", "1.2.9", ["1.3.0"], None, ["1.2.9", "1.2"]),
    ("old-major", "1.9.9", ["2.0.0"], None, ["1.9.9", "1.9", "1"]),
    ("rebuild-same", "1.2.3", ["1.2.3", "1.2", "1", "latest"], None, ["1.2.3", "1.2", "1", "latest"]),
    ("short-tag-is-lower-bound", "1.1.9", ["1.2"], None, ["1.1.9", "1.1"]),
    ("v-in-existing", "1.2.3", ["v1.2.4"], None, ["1.2.3"]),
    (
        "prerelease-existing-ignored",
        "1.2.3",
        ["1.3.0-rc.1", "2.0.0rc1", "3.0.0.dev1"],
        None,
        ["1.2.3", "1.2", "1", "latest"],
    ),
    (
        "noise-existing-ignored",
        "1.2.3",
        ["latest", "sha-abc1234", "42", "20991231235959", "9", "main", "build-77"],
        None,
        ["1.2.3", "1.2", "1", "latest"],
    ),
    ("semver-rc", "1.2.0-rc.1", [], None, ["1.2.0-rc.1"]),
    ("pep440-rc", "1.2.0rc1", [], None, ["1.2.0rc1"]),
    ("pep440-dev", "1.2.0.dev3", [], None, ["1.2.0.dev3"]),
    ("dev-version", "1.2.1-dev.5+gabc1234", [], None, ["1.2.1-dev.5_gabc1234"]),
    ("post-release", "1.2.0.post1", ["1.2.0"], None, ["1.2.0.post1", "1.2", "1", "latest"]),
    ("post-blocks-base", "1.2.0", ["1.2.0.post1"], None, ["1.2.0"]),
    ("major-zero-off", "0.3.1", [], None, ["0.3.1", "0.3", "latest"]),
    ("two-components", "1.2", [], None, ["1.2", "1", "latest"]),
    ("one-component", "3", [], None, ["3", "latest"]),
    ("four-components", "1.2.3.4", ["1.2.3.5"], None, ["1.2.3.4"]),
    ("build-metadata", "1.2.3+abc.5", [], None, ["1.2.3_abc.5", "1.2", "1", "latest"]),
    ("pep440-local", "1.2.3+Local_7", [], None, ["1.2.3_local.7", "1.2", "1", "latest"]),
    ("env-first", "2.1.0", [], "prod", ["2.1.0-prod", "2.1-prod", "2-prod", "latest-prod"]),
    (
        "env-compare-within-env",
        "2.1.0",
        ["2.2.0", "2.1.5-staging"],
        "prod",
        ["2.1.0-prod", "2.1-prod", "2-prod", "latest-prod"],
    ),
    (
        "env-blocked-in-env",
        "2.1.0",
        ["2.0.9-prod", "2.2.0-prod", "3.0.0"],
        "prod",
        ["2.1.0-prod", "2.1-prod"],
    ),
    (
        "no-env-ignores-env-tags",
        "2.1.0",
        ["2.2.0-prod", "latest-prod"],
        None,
        ["2.1.0", "2.1", "2", "latest"],
    ),
    ("env-with-dash", "2.1.0", ["2.1.1-eu-prod", "2.1.1-prod"], "eu-prod", ["2.1.0-eu-prod"]),
    ("env-prerelease", "2.1.0-rc.2", [], "prod", ["2.1.0-rc.2-prod"]),
    ("no-version", None, ["1.0.0"], None, []),
    ("underscore-read-back", "1.2.3", ["1.2.4_b1"], None, ["1.2.3"]),
    ("underscore-read-back-env", "1.2.3", ["1.3.0_b1-prod"], "prod", ["1.2.3-prod", "1.2-prod"]),
    ("underscore-prerelease-read-back", "1.2.3", ["1.2.4-rc.1_b1"], None, ["1.2.3", "1.2", "1", "latest"]),
]


@pytest.mark.parametrize(
    ("version", "existing", "env", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_version_tags(version: str | None, existing: list[str], env: str | None, expected: list[str]) -> None:
    assert tags(version, *existing, env=env) == expected


POLICIES = [
    ("major-zero-on", "0.3.1", TagPolicy(sha=False, major_zero=True), ["0.3.1", "0.3", "0", "latest"]),
    ("keep-v", "v1.2.3", TagPolicy(sha=False, keep_v=True), ["v1.2.3", "v1.2", "v1", "latest"]),
    ("keep-v-without-v", "1.2.3", TagPolicy(sha=False, keep_v=True), ["1.2.3", "1.2", "1", "latest"]),
    ("no-latest", "1.2.3", TagPolicy(sha=False, latest=False), ["1.2.3", "1.2", "1"]),
    ("full-only", "1.2.3", TagPolicy(sha=False, major=False, major_minor=False, latest=False), ["1.2.3"]),
    ("no-semver", "1.2.3", TagPolicy(sha=False, semver=False), ["1.2", "1", "latest"]),
    (
        "meta-dash",
        "1.2.3+abc",
        TagPolicy(sha=False, build_metadata="dash", latest=False),
        ["1.2.3-abc", "1.2", "1"],
    ),
    (
        "meta-drop",
        "1.2.3+abc",
        TagPolicy(sha=False, build_metadata="drop", latest=False),
        ["1.2.3", "1.2", "1"],
    ),
    (
        "sha-default",
        "1.2.3",
        TagPolicy(latest=False, major=False, major_minor=False),
        ["1.2.3", "sha-abc1234"],
    ),
    ("sha-length", None, TagPolicy(sha_length=12), ["sha-abc1234def56"]),
    ("sha-no-prefix", None, TagPolicy(sha_prefix=""), ["abc1234"]),
    ("branch", None, TagPolicy(sha=False, branch=True), ["main"]),
    ("timestamp", None, TagPolicy(sha=False, timestamp=True), ["20240506070809"]),
    (
        "timestamp-format",
        None,
        TagPolicy(sha=False, timestamp=True, timestamp_format="%Y-%m-%dT%H%M"),
        ["2024-05-06T0708"],
    ),
    (
        "timestamp-commit",
        None,
        TagPolicy(sha=False, timestamp=True, timestamp_source="commit"),
        ["19700101000000"],
    ),
    (
        "template",
        "1.2.3",
        TagPolicy(
            semver=False,
            major=False,
            major_minor=False,
            latest=False,
            sha=False,
            templates=("{version}-{sha}",),
        ),
        ["1.2.3-abc1234"],
    ),
    ("template-literal", None, TagPolicy(sha=False, templates=("nightly",)), ["nightly"]),
    (
        "template-parts",
        "1.2.3",
        TagPolicy(
            semver=False,
            major=False,
            major_minor=False,
            latest=False,
            sha=False,
            templates=("{major}.{minor}.{patch}-{branch}", "x{{y}}"),
        ),
        ["1.2.3-main"],
    ),
]


@pytest.mark.parametrize(
    ("version", "policy", "expected"), [p[1:] for p in POLICIES], ids=[p[0] for p in POLICIES]
)
def test_policies(version: str | None, policy: TagPolicy, expected: list[str]) -> None:
    if expected == ["1.2.3-main"]:  # a template with literal braces must fail validation
        with pytest.raises(DockgenError, match=r"x\{y\}"):
            tags(version, policy=policy)
        policy = policy.model_copy(update={"templates": policy.templates[:1]})
    assert tags(version, policy=policy) == expected


def test_full_reference_example() -> None:
    got = compute_tags("2.1.0", env="prod", existing=[], git=None, policy=TagPolicy(), now=NOW)
    refs = [image_reference("registry.example.com", "frontend", "web", t) for t in got]
    assert refs[0] == "registry.example.com/frontend/web:2.1.0-prod"
    assert "registry.example.com/frontend/web:latest-prod" in refs


# --------------------------------------------------------------------------------------------------------
# reasons
# --------------------------------------------------------------------------------------------------------

REASONS = [
    ("blocked-line", "1.2.3", ["1.2.7"], "1.2", False, "1.2 withheld: 1.2.7 exists"),
    ("blocked-latest", "1.1.9", ["2.0.0"], "latest", False, "latest withheld: 2.0.0 exists"),
    ("given-highest", "1.2.8", ["1.2.7"], "1.2", True, "highest 1.2.x (highest existing: 1.2.7)"),
    ("given-first", "1.2.8", [], "latest", True, "no existing stable version"),
    ("prerelease", "1.3.0-rc.1", [], "latest", False, "pre-release"),
    ("major-zero", "0.3.0", [], "0", False, "major_zero"),
    ("metadata", "1.2.3+abc", [], "1.2.3_abc", True, "'+abc'"),
]


@pytest.mark.parametrize(
    ("version", "existing", "tag", "given", "needle"), [r[1:] for r in REASONS], ids=[r[0] for r in REASONS]
)
def test_reasons(version: str, existing: list[str], tag: str, given: bool, needle: str) -> None:
    decisions = explain_tags(version, existing=existing, policy=NO_SHA, now=NOW)
    (match,) = [d for d in decisions if d.tag == tag]
    assert match.given is given
    assert needle in match.reason


def test_withheld_decisions_for_missing_inputs() -> None:
    policy = TagPolicy(
        branch=True, timestamp=True, timestamp_source="commit", build_number=True, templates=("{branch}",)
    )
    decisions = explain_tags(None, git=None, policy=policy, now=NOW)
    assert all(not d.given and d.tag is None for d in decisions)
    reasons = " | ".join(d.reason for d in decisions)
    for needle in (
        "no version",
        "no git commit",
        "no branch",
        "no commit time",
        "no CI build number",
        "no branch",
    ):
        assert needle in reasons


def test_duplicate_tags_are_reported_once() -> None:
    decisions = explain_tags("1.2", policy=TagPolicy(sha=False, latest=False), now=NOW)
    assert [(d.tag, d.given) for d in decisions] == [("1.2", True), ("1.2", False), ("1", True)]
    assert "already given (semver)" in decisions[1].reason


# --------------------------------------------------------------------------------------------------------
# git-derived tags, env, templates
# --------------------------------------------------------------------------------------------------------


def test_dirty_sha_tag() -> None:
    git = GitState(sha="0123456789abcdef", branch=None, tag=None, dirty=True, commit_time=None)
    assert compute_tags(None, git=git, now=NOW) == ["sha-0123456-dirty"]


BRANCHES = [
    ("feature/Foo_Bar", "feature-foo_bar"),
    ("release/1.2", "release-1.2"),
    ("dependabot/pip/requests-2.32.0", "dependabot-pip-requests-2.32.0"),
    ("-weird--name-", "weird-name"),
    ("...dots", "dots"),
    ("UPPER CASE äöü", "upper-case-"[:-1]),
    ("///", ""),
    ("a" * 300, "a" * 128),
]


@pytest.mark.parametrize(("branch", "expected"), BRANCHES, ids=[b[0][:20] for b in BRANCHES])
def test_sanitize_branch(branch: str, expected: str) -> None:
    assert sanitize_branch(branch) == expected


def test_long_branch_trimmed_to_fit_env_suffix() -> None:
    git = GitState(sha=None, branch="feature/" + "x" * 200, tag=None, dirty=False, commit_time=None)
    (tag,) = compute_tags(None, env="production", git=git, policy=TagPolicy(sha=False, branch=True), now=NOW)
    assert len(tag) == MAX_TAG_LENGTH and tag.endswith("-production")


def test_long_branch_trimmed_in_template() -> None:
    git = GitState(sha=None, branch="b" * 200, tag=None, dirty=False, commit_time=None)
    policy = TagPolicy(sha=False, templates=("{branch}-{timestamp}",))
    (tag,) = compute_tags(None, env="prod", git=git, policy=policy, now=NOW)
    assert len(tag) <= MAX_TAG_LENGTH and tag.endswith("-20240506070809-prod")


def test_template_with_env_gets_no_second_suffix() -> None:
    policy = TagPolicy(
        semver=False, major=False, major_minor=False, latest=False, sha=False, templates=("{env}-{version}",)
    )
    assert tags("2.1.0", env="prod", policy=policy) == ["prod-2.1.0"]


def test_env_suffix_off() -> None:
    assert tags("2.1.0", "2.2.0", env="prod", policy=TagPolicy(sha=False, env_suffix=False)) == [
        "2.1.0",
        "2.1",
    ]


@pytest.mark.parametrize("env", ["Prod!", "-prod", "a b", "x" * 65], ids=["bang", "dash", "space", "long"])
def test_bad_env(env: str) -> None:
    with pytest.raises(DockgenError, match=r"env .* cannot be a tag suffix"):
        tags("1.0.0", env=env)


@pytest.mark.parametrize(
    ("template", "needle"),
    [
        ("{version}-{commit}", "unknown placeholder {commit}"),
        ("{}", "empty placeholder"),
        ("{sha:>9}", "format spec"),
        ("{sha!r}", "format spec"),
        ("{version", "malformed"),
    ],
    ids=["unknown", "empty", "spec", "conversion", "unclosed"],
)
def test_bad_templates(template: str, needle: str) -> None:
    with pytest.raises(DockgenError, match="tag template") as err:
        template_fields(template)
    assert needle in str(err.value)
    with pytest.raises(ValidationError, match=needle.split()[0]):
        TagPolicy(templates=(template,))


def test_template_producing_invalid_tag() -> None:
    with pytest.raises(DockgenError, match=r"'\{version\}/x' produced an invalid tag"):
        tags("1.0.0", policy=TagPolicy(sha=False, templates=("{version}/x",)))


def test_timestamp_now_handling() -> None:
    policy = TagPolicy(semver=False, sha=False, timestamp=True)
    naive = datetime(2024, 1, 1, 12, 0, 0)
    east = datetime(2024, 1, 1, 14, 0, 0, tzinfo=timezone(timedelta(hours=2)))
    assert (
        compute_tags(None, policy=policy, now=naive)
        == compute_tags(None, policy=policy, now=east)
        == ["20240101120000"]
    )
    with pytest.raises(DockgenError, match="needs the current time"):
        compute_tags(None, policy=policy, now=None)


def test_build_number() -> None:
    policy = TagPolicy(sha=False, build_number=True)
    assert compute_tags(None, policy=policy, build_number="77") == ["build-77"]
    assert compute_tags(
        None, policy=policy.model_copy(update={"build_number_prefix": "b"}), build_number="7"
    ) == ["b7"]


def test_too_long_version_tag() -> None:
    with pytest.raises(DockgenError, match="at most 128"):
        tags("1.2.3-" + "a" * 130)


# --------------------------------------------------------------------------------------------------------
# policy model
# --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "needle"),
    [
        ({"lates": True}, "Extra inputs"),
        ({"sha_length": 3}, "greater than or equal to 4"),
        ({"sha_length": 41}, "less than or equal to 40"),
        ({"sha_prefix": "sha:"}, "may only contain"),
        ({"build_number_prefix": "b/"}, "may only contain"),
        ({"timestamp_format": "%Y-%m-%d %H:%M"}, "not valid in a tag"),
        ({"build_metadata": "plus"}, "dash"),
        ({"templates": ("{oops}",)}, "unknown placeholder {oops}"),
    ],
    ids=["extra", "sha-short", "sha-long", "prefix", "build-prefix", "timestamp", "metadata", "template"],
)
def test_policy_validation(fields: dict[str, object], needle: str) -> None:
    with pytest.raises(ValidationError, match=needle.replace("{", r"\{").replace("}", r"\}")):
        TagPolicy.model_validate(fields)


def test_policy_is_frozen_and_hashable() -> None:
    policy = TagPolicy()
    with pytest.raises(ValidationError):
        policy.sha = False
    assert hash(policy) == hash(TagPolicy())


# --------------------------------------------------------------------------------------------------------
# names
# --------------------------------------------------------------------------------------------------------

GOOD_TAGS = ["latest", "1.2.3", "_x", "A-Z_a.z", "9" * 128, "v1.2.3-rc.1"]
BAD_TAGS = [
    ("", "empty"),
    (".x", "starts with '.'"),
    ("-x", "starts with '-'"),
    ("a+b", "'+'"),
    ("a/b", "'/'"),
    ("é", "'é'"),
    ("9" * 129, "at most 128"),
]


@pytest.mark.parametrize("tag", GOOD_TAGS, ids=[t[:12] for t in GOOD_TAGS])
def test_valid_tags(tag: str) -> None:
    assert validate_tag(tag) == tag


@pytest.mark.parametrize(("tag", "needle"), BAD_TAGS, ids=[b[1] for b in BAD_TAGS])
def test_invalid_tags(tag: str, needle: str) -> None:
    with pytest.raises(DockgenError) as err:
        validate_tag(tag)
    assert needle in str(err.value)


GOOD_REPOS = ["web", "frontend/web", "a/b/c", "my-app", "my--app", "my_app", "my__app", "my.app", "a1/b2"]
BAD_REPOS = [
    ("Web", "'web'"),
    ("my app", "'my-app'"),
    ("a//b", "is empty"),
    ("app-", "'app'"),
    ("_app", "'app'"),
    ("a___b", "a___b"),
    ("", "empty"),
]


@pytest.mark.parametrize("repo", GOOD_REPOS)
def test_valid_repositories(repo: str) -> None:
    assert validate_repository(repo) == repo


@pytest.mark.parametrize(("repo", "needle"), BAD_REPOS, ids=[b[0] or "empty" for b in BAD_REPOS])
def test_invalid_repositories(repo: str, needle: str) -> None:
    with pytest.raises(DockgenError) as err:
        validate_repository(repo)
    assert needle in str(err.value)


GOOD_REGISTRIES = [
    "registry.example.com",
    "localhost:5000",
    "127.0.0.1:5000",
    "r",
    "[::1]:5000",
    "ghcr.io",
    "My-Registry.local",
]
BAD_REGISTRIES = ["https://r.io", "r.io/path", "r.io:", "r.io:99999", "-r.io", "r..io", "r.io:abc"]


@pytest.mark.parametrize("registry", GOOD_REGISTRIES)
def test_valid_registries(registry: str) -> None:
    assert validate_registry(registry) == registry


@pytest.mark.parametrize("registry", BAD_REGISTRIES)
def test_invalid_registries(registry: str) -> None:
    with pytest.raises(DockgenError, match="not a valid registry host"):
        validate_registry(registry)


REFS = [
    (
        ("registry.example.com", "frontend", "web", "2.1.0-prod"),
        "registry.example.com/frontend/web:2.1.0-prod",
    ),
    ((None, None, "web", "latest"), "web:latest"),
    (("localhost:5000", None, "web", "1"), "localhost:5000/web:1"),
    ((None, "org/team", "web", "1"), "org/team/web:1"),
    (("ghcr.io", "/org/", "web", "1"), "ghcr.io/org/web:1"),
]


@pytest.mark.parametrize(("parts", "expected"), REFS, ids=[r[1] for r in REFS])
def test_image_reference(parts: tuple[str | None, str | None, str, str], expected: str) -> None:
    assert image_reference(*parts) == expected


def test_reference_too_long() -> None:
    with pytest.raises(DockgenError, match="at most 255"):
        repository_name("r.io", "a" * 200, "b" * 60)


def test_registry_that_docker_reads_as_namespace() -> None:
    assert registry_looks_like_namespace("r")
    assert not any(registry_looks_like_namespace(r) for r in ("r.io", "r:5000", "localhost"))


# --------------------------------------------------------------------------------------------------------
# dev versions
# --------------------------------------------------------------------------------------------------------

DEV = [
    ("v1.2.0", 5, False, "1.2.1-dev.5+gabc1234"),
    ("1.3.0-rc.1", 2, False, "1.3.0-rc.1.dev.2+gabc1234"),
    ("1.2.0", 0, True, "1.2.1-dev.0+gabc1234.dirty"),
    ("1.2", 3, False, "1.3.dev3+gabc1234"),
    ("1.2.0rc1", 3, False, "1.2.0rc2.dev3+gabc1234"),
    ("1.2.0.post1", 1, False, "1.2.0.post2.dev1+gabc1234"),
    ("1.2.0.dev3", 2, False, "1.2.0.dev5+gabc1234"),
]


@pytest.mark.parametrize(("tag", "distance", "dirty", "expected"), DEV, ids=[d[0] for d in DEV])
def test_dev_version(tag: str, distance: int, dirty: bool, expected: str) -> None:
    got = dev_version(tag, distance, "abc1234", dirty=dirty)
    assert got == expected
    parsed = parse_version(got)
    assert not parsed.stable
    assert tags(got) == [got.replace("+", "_")]


def test_dev_version_sorts_after_its_tag() -> None:
    packaging_version = pytest.importorskip("packaging.version")
    for tag in ("1.2", "1.2.0rc1", "1.2.0.post1", "1.2.0.dev3"):
        assert packaging_version.Version(dev_version(tag, 4, "abc")) > packaging_version.Version(tag)


# --------------------------------------------------------------------------------------------------------
# properties
# --------------------------------------------------------------------------------------------------------

small = st.integers(min_value=0, max_value=4)
releases = st.tuples(small, small, small)
pre_ids = st.lists(st.sampled_from(["rc", "alpha", "beta", "1", "2", "x-y"]), min_size=1, max_size=3).map(
    ".".join
)


@st.composite
def versions(draw: st.DrawFn, stable_only: bool = False) -> str:
    major, minor, patch = draw(releases)
    style = draw(st.sampled_from(["semver", "v", "post", "pep-pre", "semver-pre", "meta", "dev"]))
    if stable_only:
        style = draw(st.sampled_from(["semver", "v", "post", "meta"]))
    base = f"{major}.{minor}.{patch}"
    if style == "v":
        return "v" + base
    if style == "post":
        return f"{base}.post{draw(small)}"
    if style == "meta":
        return f"{base}+b{draw(small)}"
    if style == "pep-pre":
        return f"{base}{draw(st.sampled_from(['a', 'b', 'rc']))}{draw(small)}"
    if style == "semver-pre":
        return f"{base}-{draw(pre_ids)}"
    if style == "dev":
        return f"{base}.dev{draw(small)}"
    return base


noise = st.sampled_from(["latest", "sha-abc1234", "42", "7", "20240101120000", "main", "nightly", "1", "0"])
existing_tags = st.lists(st.one_of(versions(), noise, releases.map(lambda r: f"{r[0]}.{r[1]}")), max_size=12)
envs = st.one_of(st.none(), st.sampled_from(["prod", "staging", "eu-prod", "dev.1"]))


def _stable_existing(existing: list[str], env: str | None) -> list[Version]:
    out = []
    for tag in existing:
        if env:
            if not tag.endswith(f"-{env}"):
                continue
            tag = tag[: -len(env) - 1]
        v = try_parse_version(tag)
        if v is not None and v.stable and len(v.release) >= 2:
            out.append(v)
    return out


@given(version=versions(), existing=existing_tags, env=envs)
@example(version="1.1.9", existing=["2.0.0"], env=None)
def test_latest_only_for_the_highest_stable(version: str, existing: list[str], env: str | None) -> None:
    existing = [f"{t}-{env}" if env and random.Random(t).random() < 0.7 else t for t in existing]
    got = compute_tags(version, env=env, existing=existing, policy=NO_SHA, now=NOW)
    latest = "latest" + (f"-{env}" if env else "")
    v = parse_version(version)
    higher = [e for e in _stable_existing(existing, env) if e.stable_key() > v.stable_key()]
    assert (latest in got) == (v.stable and not higher)


@given(version=versions(), existing=existing_tags, env=envs)
def test_short_tags_are_prefixes_of_the_full_tag(version: str, existing: list[str], env: str | None) -> None:
    suffix = f"-{env}" if env else ""
    got = [
        t.removesuffix(suffix)
        for t in compute_tags(version, env=env, existing=existing, policy=NO_SHA, now=NOW)
    ]
    full, *short = got
    for tag in short:
        if tag != "latest":
            assert full.startswith(tag + "."), (full, tag)
    assert len(short) <= 3


@given(
    version=st.one_of(st.none(), versions()),
    env=envs,
    branch=st.one_of(st.none(), st.text(max_size=200)),
    sha=st.one_of(st.none(), st.text("0123456789abcdef", min_size=40, max_size=40)),
    dirty=st.booleans(),
    build=st.one_of(st.none(), st.text("0123456789", min_size=1, max_size=8)),
    prefix=st.sampled_from(["sha-", "", "commit_"]),
)
def test_every_tag_is_a_valid_oci_tag(
    version: str | None,
    env: str | None,
    branch: str | None,
    sha: str | None,
    dirty: bool,
    build: str | None,
    prefix: str,
) -> None:
    git = GitState(sha=sha, branch=branch, tag=None, dirty=dirty, commit_time=1_700_000_000)
    policy = TagPolicy(
        branch=True,
        timestamp=True,
        build_number=True,
        sha_prefix=prefix,
        templates=("{branch}-{timestamp}", "{version}-{sha}"),
    )
    got = compute_tags(version, env=env, git=git, policy=policy, now=NOW, build_number=build)
    assert len(got) == len(set(got))
    for tag in got:
        assert validate_tag(tag) == tag
        if env:
            assert tag.endswith(f"-{env}")


@given(version=versions(), existing=existing_tags, env=envs, seed=st.integers())
def test_deterministic_and_order_independent(
    version: str, existing: list[str], env: str | None, seed: int
) -> None:
    first = compute_tags(version, env=env, existing=existing, git=GIT, now=NOW)
    shuffled = list(existing)
    random.Random(seed).shuffle(shuffled)
    assert compute_tags(version, env=env, existing=shuffled, git=GIT, now=NOW) == first
    assert explain_tags(version, env=env, existing=existing, git=GIT, now=NOW) == explain_tags(
        version, env=env, existing=shuffled, git=GIT, now=NOW
    )


@settings(max_examples=300)
@given(
    history=st.lists(versions(), min_size=1, max_size=15),
    env=envs,
    major_zero=st.booleans(),
    metadata=st.sampled_from(["underscore", "drop"]),
)
@example(history=["0.1.1+b0", "0.1.0"], env=None, major_zero=False, metadata="underscore")
def test_moving_tags_always_point_at_the_highest_release(
    history: list[str], env: str | None, major_zero: bool, metadata: str
) -> None:
    """Replay releases in any order against a registry; the moving tags must end on the highest of their line."""
    policy = TagPolicy.model_validate({"sha": False, "major_zero": major_zero, "build_metadata": metadata})
    suffix = f"-{env}" if env else ""
    registry: dict[str, Version] = {}
    for version in history:
        for tag in compute_tags(version, env=env, existing=list(registry), policy=policy, now=NOW):
            registry[tag] = parse_version(version)
    pushed = [v for v in map(parse_version, history) if v.stable]
    assume(pushed)

    def top(vs: list[Version]) -> tuple[tuple[int, ...], int]:
        return max(v.stable_key() for v in vs)

    assert registry["latest" + suffix].stable_key() == top(pushed)
    for v in pushed:
        line = [w for w in pushed if w.release[:2] == v.release[:2]]
        assert registry[f"{v.major}.{v.minor}{suffix}"].stable_key() == top(line)
        major_tag = f"{v.major}{suffix}"
        if v.major or major_zero:
            assert registry[major_tag].stable_key() == top([w for w in pushed if w.major == v.major])
        else:
            assert major_tag not in registry
    for tag, v in registry.items():  # nothing moving ever points at a pre-release
        if tag.removesuffix(suffix) in {"latest", f"{v.major}", f"{v.major}.{v.minor}"}:
            assert v.stable


pep440_stable = st.builds(
    lambda rel, post: ".".join(map(str, rel)) + (f".post{post}" if post is not None else ""),
    st.lists(small, min_size=1, max_size=4),
    st.one_of(st.none(), small),
)


@given(a=pep440_stable, b=pep440_stable)
def test_stable_order_agrees_with_packaging(a: str, b: str) -> None:
    packaging_version = pytest.importorskip("packaging.version")
    pa, pb = packaging_version.Version(a), packaging_version.Version(b)
    ka, kb = parse_version(a).stable_key(), parse_version(b).stable_key()
    assert (ka < kb) == (pa < pb) and (ka == kb) == (pa == pb)


@given(version=versions())
def test_canonical_text_is_a_fixed_point(version: str) -> None:
    once = parse_version(version)
    assert parse_version(once.text) == Version(**{**once.__dict__, "v_prefix": ""})


@given(text=st.text(max_size=30))
def test_parser_never_crashes(text: str) -> None:
    with contextlib.suppress(DockgenError):
        parse_version(text)


@given(branch=st.text(max_size=300), limit=st.integers(min_value=1, max_value=128))
def test_sanitized_branch_is_a_valid_tag_or_empty(branch: str, limit: int) -> None:
    clean = sanitize_branch(branch, limit)
    assert len(clean) <= limit
    if clean:
        validate_tag(clean)
        assert clean == clean.lower() and not clean.endswith(("-", "."))


def test_dash_metadata_caveat() -> None:
    """Documented: with build_metadata='dash' a stable build reads back as a pre-release, so it cannot block."""
    dash = TagPolicy(sha=False, build_metadata="dash")
    assert compute_tags("1.2.4+b1", policy=dash)[0] == "1.2.4-b1"
    assert tags("1.2.3", "1.2.4-b1", policy=dash) == ["1.2.3", "1.2", "1", "latest"]
    assert tags("1.2.3", "1.2.4_b1", policy=dash) == ["1.2.3"]
