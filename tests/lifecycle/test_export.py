"""Harbor / ECR exports validated against JSON Schemas written from the vendors' documentation
(tests/lifecycle/data/*.schema.json), plus the cross-rule constraints a schema cannot say."""

from __future__ import annotations

import copy
import fnmatch
import json
from typing import Any

import jsonschema
import pytest

from dockgen.cli import main
from dockgen.lifecycle import RetentionPolicy, to_ecr, to_harbor
from tests.lifecycle.conftest import DATA

ECR_SCHEMA = json.loads((DATA / "ecr-lifecycle-policy.schema.json").read_text())
HARBOR_SCHEMA = json.loads((DATA / "harbor-retention-policy.schema.json").read_text())

POLICIES = {
    "defaults": RetentionPolicy(),
    "envs": RetentionPolicy(envs=("prod", "staging"), keep_last_releases=3),
    "patterns": RetentionPolicy(keep_patterns=("release-*", "re:^pr-[0-9]+$", "a?c", "*a*b*c*d*e*")),
    "no-age": RetentionPolicy(max_age_days=None, always_keep=()),
    "zero": RetentionPolicy(keep_last_releases=0, max_age_days=0),
}


def _ecr_cross_rule_checks(doc: dict[str, Any]) -> None:
    prios = [r["rulePriority"] for r in doc["rules"]]
    assert len(prios) == len(set(prios)), "rulePriority must be unique"
    anys = [r for r in doc["rules"] if r["selection"]["tagStatus"] == "any"]
    assert len(anys) <= 1
    if anys:
        assert anys[0]["rulePriority"] == max(prios), "the tagStatus=any rule must be evaluated last"


@pytest.mark.parametrize("name", list(POLICIES))
def test_ecr_export_matches_documented_shape(name: str) -> None:
    doc = to_ecr(POLICIES[name]).document
    jsonschema.validate(doc, ECR_SCHEMA)
    _ecr_cross_rule_checks(doc)


@pytest.mark.parametrize("name", list(POLICIES))
def test_harbor_export_matches_documented_shape(name: str) -> None:
    doc = to_harbor(POLICIES[name], repositories=["team/app"], project_id=7).document
    jsonschema.validate(doc, HARBOR_SCHEMA)
    assert doc["scope"] == {"level": "project", "ref": 7}
    assert doc["rules"][0]["scope_selectors"]["repository"][0]["pattern"] == "app"


@pytest.mark.parametrize(
    ("schema", "mutate"),
    [
        (ECR_SCHEMA, lambda d: d["rules"][0]["selection"].pop("tagPatternList")),
        (ECR_SCHEMA, lambda d: d["rules"][0]["selection"].update(countUnit="days")),
        (ECR_SCHEMA, lambda d: d["rules"][0]["selection"].update(tagPatternList=["a*b*c*d*e*"])),
        (ECR_SCHEMA, lambda d: d["rules"][0].update(action={"type": "delete"})),
        (HARBOR_SCHEMA, lambda d: d["rules"][0].update(template="latestPushedN")),
        (HARBOR_SCHEMA, lambda d: d.update(algorithm="and")),
        (HARBOR_SCHEMA, lambda d: d["rules"][1].update(params={})),
        (HARBOR_SCHEMA, lambda d: d["trigger"]["settings"].update(cron="0 0 * * *")),
    ],
    ids=[
        "ecr-tagged-without-patterns",
        "ecr-count-unit-with-image-count",
        "ecr-five-wildcards",
        "ecr-action",
        "harbor-template",
        "harbor-algorithm",
        "harbor-missing-param",
        "harbor-five-field-cron",
    ],
)
def test_schemas_reject_broken_documents(schema: dict[str, Any], mutate: Any) -> None:
    """The schemas are not vacuous: each catches one documented constraint."""
    doc = copy.deepcopy(
        to_ecr(RetentionPolicy()).document if schema is ECR_SCHEMA else to_harbor(RetentionPolicy()).document
    )
    jsonschema.validate(doc, schema)
    mutate(doc)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, schema)


def test_unexportable_patterns_are_reported_not_silently_dropped() -> None:
    e = to_ecr(POLICIES["patterns"])
    patterns = [r["selection"].get("tagPatternList") for r in e.document["rules"]]
    assert ["release-*"] in patterns
    assert any("re:^pr-[0-9]+$" in n for n in e.notes)
    assert any("'a?c'" in n for n in e.notes) and any("*a*b*c*d*e*" in n for n in e.notes)
    h = to_harbor(POLICIES["patterns"])
    assert any("re:^pr-[0-9]+$" in n for n in h.notes)


def _ecr_evaluate(doc: dict[str, Any], images: list[tuple[str, int]]) -> set[str]:
    """What ECR would expire, per the documented evaluation: rules by priority; an image selected by a rule is
    never expired by a lower-priority rule; imageCountMoreThan keeps the N most recently pushed of the selected
    images; sinceImagePushed expires those older than N days. ``images``: (tag, days since push)."""
    claimed: set[str] = set()
    expired: set[str] = set()
    for rule in sorted(doc["rules"], key=lambda r: r["rulePriority"]):
        sel = rule["selection"]
        matched = [
            (t, age)
            for t, age in images
            if t not in claimed and all(fnmatch.fnmatchcase(t, p) for p in sel.get("tagPatternList", ["*"]))
        ]
        if sel["countType"] == "imageCountMoreThan":
            newest_first = sorted(matched, key=lambda x: x[1])
            expired.update(t for t, _ in newest_first[sel["countNumber"] :])
        else:
            expired.update(t for t, age in matched if age > sel["countNumber"])
        claimed.update(t for t, _ in matched)
    return expired


def test_ecr_export_behaves_like_dockgen_on_a_simple_history() -> None:
    """Releases pushed in version order, one env: ECR's push-order count agrees with dockgen's version order."""
    policy = RetentionPolicy(keep_last_releases=2, max_age_days=30, envs=("prod",), keep_patterns=("keep-*",))
    images = [
        ("1.0.0", 300), ("1.1.0", 200), ("2.0.0", 100), ("1.0.0-prod", 300), ("1.1.0-prod", 200),
        ("2.0.0-prod", 100), ("main", 40), ("feature-x", 10), ("keep-me", 999), ("latest", 100),
    ]  # fmt: skip
    assert _ecr_evaluate(to_ecr(policy).document, images) == {"1.0.0", "1.0.0-prod", "main"}


def test_prune_export_command(capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(
        argv=["prune", "127.0.0.1:5000/team/app", "--export", "harbor", "--keep-last", "4", "--config",
              str(DATA / "defaults.toml"), "--harbor-project-id", "3"]
    )  # fmt: skip
    out = capsys.readouterr()
    assert rc == 0
    doc = json.loads(out.out)
    jsonschema.validate(doc, HARBOR_SCHEMA)
    assert {"latestPushedK": 4} in [r["params"] for r in doc["rules"]]
    assert "note: release counts are by push time" in out.err
    rc = main(argv=["prune", "--export", "ecr", "--config", str(DATA / "defaults.toml")])
    out = capsys.readouterr()
    assert rc == 0
    jsonschema.validate(json.loads(out.out), ECR_SCHEMA)
