from __future__ import annotations

from typing import Any

import pytest
from _helpers import lines, run
from dockgen_rules._labels import valid_value
from dockgen_rules.dg136_required_label_missing import RequiredLabelMissing
from dockgen_rules.dg137_label_empty import LabelEmpty
from dockgen_rules.dg138_label_value_malformed import LabelValueMalformed
from dockgen_rules.dg139_label_not_in_schema import LabelNotInSchema

from dockgen.lint.rule import Rule

SCHEMA: dict[str, Any] = {
    "required-labels": {
        "org.opencontainers.image.source": {"type": "url", "required": True},
        "org.opencontainers.image.version": {"type": "semver", "required": True},
        "org.opencontainers.image.revision": {"type": "hash", "required": False},
        "org.opencontainers.image.licenses": "spdx",
    }
}
STRICT = {**SCHEMA, "strict-labels": True}
OK = (
    "LABEL org.opencontainers.image.source=https://git.example.com/a "
    "org.opencontainers.image.version=1.2.3 org.opencontainers.image.licenses=MIT\n"
)

CATCHES = [
    pytest.param(RequiredLabelMissing, SCHEMA, "FROM a\n", [1, 1, 1], id="missing-all-required"),
    pytest.param(
        RequiredLabelMissing,
        SCHEMA,
        "FROM a AS b\n" + OK + "FROM a\nRUN x\n",
        [3, 3, 3],
        id="labels-only-in-builder",
    ),
    pytest.param(LabelEmpty, SCHEMA, 'FROM a\nLABEL org.opencontainers.image.version=""\n', [2], id="empty"),
    pytest.param(
        LabelValueMalformed, SCHEMA, "FROM a\nLABEL org.opencontainers.image.version=v1\n", [2], id="semver"
    ),
    pytest.param(
        LabelValueMalformed, SCHEMA, "FROM a\nLABEL org.opencontainers.image.source=git.x/a\n", [2], id="url"
    ),
    pytest.param(
        LabelValueMalformed,
        SCHEMA,
        "FROM a\nLABEL org.opencontainers.image.revision=main\n",
        [2],
        id="hash",
    ),
    pytest.param(LabelNotInSchema, STRICT, "FROM a\nLABEL team=x\n", [2], id="strict"),
]
CLEAN = [
    pytest.param(RequiredLabelMissing, SCHEMA, "FROM a\n" + OK, id="all-present"),
    pytest.param(RequiredLabelMissing, SCHEMA, "FROM a AS b\n" + OK + "FROM b\n", id="inherited"),
    pytest.param(RequiredLabelMissing, {}, "FROM a\n", id="no-schema"),
    pytest.param(LabelEmpty, SCHEMA, 'FROM a\nLABEL other=""\n', id="empty-not-in-schema"),
    pytest.param(
        LabelValueMalformed,
        SCHEMA,
        "FROM a\nLABEL org.opencontainers.image.version=$VERSION\n",
        id="variable",
    ),
    pytest.param(LabelValueMalformed, SCHEMA, "FROM a\n" + OK, id="valid"),
    pytest.param(LabelNotInSchema, SCHEMA, "FROM a\nLABEL team=x\n", id="not-strict"),
    pytest.param(LabelNotInSchema, STRICT, "FROM a\n" + OK, id="strict-ok"),
]


@pytest.mark.parametrize(("rule", "options", "text", "expected"), CATCHES)
def test_catches(rule: type[Rule], options: dict[str, Any], text: str, expected: list[int]) -> None:
    assert lines(run(rule, text, options=options)) == expected


@pytest.mark.parametrize(("rule", "options", "text"), CLEAN)
def test_does_not_catch(rule: type[Rule], options: dict[str, Any], text: str) -> None:
    assert run(rule, text, options=options) == []


@pytest.mark.parametrize(
    ("kind", "value", "ok"),
    [
        ("semver", "1.2.3-rc.1+build.5", True),
        ("semver", "1.2", False),
        ("semver", "01.2.3", False),
        ("url", "https://example.com/x", True),
        ("url", "example.com", False),
        ("email", "ops@example.com", True),
        ("email", "ops@example", False),
        ("rfc3339", "2024-05-01T12:00:00Z", True),
        ("rfc3339", "2024-05-01T12:00:00.5+02:00", True),
        ("rfc3339", "2024-13-01T12:00:00Z", False),
        ("rfc3339", "2024-05-01", False),
        ("hash", "0123abc", True),
        ("hash", "0123abcz", False),
        ("spdx", "Apache-2.0", True),
        ("spdx", "(MIT OR Apache-2.0) AND BSD-3-Clause", True),
        ("spdx", "GPL-2.0-only WITH Classpath-exception-2.0", True),
        ("spdx", "MIT OR", False),
        ("spdx", "MIT Apache-2.0", False),
        ("spdx", "(MIT", False),
        ("text", "anything", True),
    ],
)
def test_value_types(kind: str, value: str, ok: bool) -> None:
    assert valid_value(kind, value) is ok
