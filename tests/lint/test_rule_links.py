"""Rule documentation links point at documentation that exists: by default the rule reference shipped with
dockgen (``docs/rules.md``, packaged as ``dockgen/docs/rules.md``), every rule at its own anchor; with
``DOCKGEN_DOCS_URL`` wherever a team publishes it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

import pytest

from dockgen.lint.docs import DOCS_URL_ENV, rule_url
from dockgen.lint.registry import default_ruleset

ROOT = Path(__file__).resolve().parents[2]


def dockgen(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k != DOCS_URL_ENV}
    full.update(PYTHONPATH=str(ROOT), NO_COLOR="1", **env)
    return subprocess.run(
        [sys.executable, "-m", "dockgen", *args],
        cwd=cwd,
        env=full,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_every_rule_links_to_its_anchor_in_the_shipped_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DOCS_URL_ENV, raising=False)
    texts: dict[Path, str] = {}
    for rule in default_ruleset():
        url = rule_url(rule)
        assert url is not None
        parsed = urlparse(url)
        assert parsed.scheme == "file" and parsed.fragment == rule.code.lower()
        path = Path(url2pathname(parsed.path))
        assert path == ROOT / "docs" / "rules.md"
        text = texts.setdefault(path, path.read_text(encoding="utf-8"))
        assert f'<a id="{parsed.fragment}"></a>' in text, f"no anchor for {rule.code} in {path}"


def test_dockgen_rule_shows_the_link(tmp_path: Path) -> None:
    res = dockgen("rule", "DL3008", cwd=tmp_path)
    docs = next(line for line in res.stdout.splitlines() if line.startswith("Docs:"))
    assert docs.split()[1] == (ROOT / "docs" / "rules.md").as_uri() + "#dg040"


def test_docs_url_is_configurable(tmp_path: Path) -> None:
    base = "https://docs.example.org/platform/dockgen/rules.md"
    res = dockgen("rule", "DG040", cwd=tmp_path, DOCKGEN_DOCS_URL=base)
    assert f"Docs:        {base}#dg040" in res.stdout
    (tmp_path / "Dockerfile").write_text("FROM debian:latest\nUSER 1000\n", encoding="utf-8")
    res = dockgen("lint", "--format", "json", "Dockerfile", cwd=tmp_path, DOCKGEN_DOCS_URL=base)
    finding = next(f for f in json.loads(res.stdout)["findings"] if f["code"] == "DG002")
    assert finding["url"] == f"{base}#dg002"
    res = dockgen("lint", "--format", "sarif", "Dockerfile", cwd=tmp_path, DOCKGEN_DOCS_URL=base)
    driver = json.loads(res.stdout)["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == base
    assert {r["id"]: r["helpUri"] for r in driver["rules"]}["DG002"] == f"{base}#dg002"
    assert "github.com/dockgen" not in res.stdout
