"""What ``dockgen lint FILE`` loads: only the rules the file can trigger, no heavy dependency, no entry-point scan
when the built-in pack is the only one installed; and a third-party pack registered through the
``dockgen.rules`` entry point still runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"

_PROBE = """
import json, os, sys
from dockgen.cli import main
cache = [] if os.environ.get("PROBE_WITH_CACHE") else ["--no-cache"]
code = main(argv=["lint", *cache, "--no-hadolint", *sys.argv[1:]])
print(json.dumps({
    "code": code,
    "modules": sorted(sys.modules),
}))
"""


def _probe(dockerfile: Path, *options: str, env: dict[str, str] | None = None) -> dict[str, object]:
    """Lint ``dockerfile`` in a fresh interpreter: its exit code, the modules it loaded and what it printed."""
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, *options, str(dockerfile)],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
        cwd=dockerfile.parent,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    *printed, last = out.stdout.strip().splitlines()
    result: dict[str, object] = json.loads(last)
    result["output"] = "\n".join(printed)
    return result


def _installed_pack(site: Path, distribution: str, entry_point: str) -> Path:
    """``site`` holding the dist-info of ``distribution`` 1.0 with one ``dockgen.rules`` entry point."""
    dist = site / f"{distribution.replace('-', '_')}-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {distribution}\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(f"[dockgen.rules]\n{entry_point}\n")
    return site


def test_one_file_loads_only_what_it_needs(tmp_path: Path) -> None:
    from dockgen.lint.registry import BUILTIN_PACK, _declared_packs, default_ruleset

    (tmp_path / ".git").mkdir()
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM python:3.12-slim\nCMD python app.py\n")
    result = _probe(dockerfile)
    modules = set(result["modules"])  # type: ignore[arg-type]
    assert result["code"] == 1  # findings: e.g. the shell-form CMD
    for heavy in ("pydantic", "jinja2", "docker", "requests", "dockgen.models", "dockgen.builders"):
        assert heavy not in modules, heavy
    rules = {m for m in modules if m.startswith("dockgen_rules.dg")}
    assert "dockgen_rules.dg120_shell_form_cmd_or_entrypoint" in rules
    # RUN, COPY, LABEL, USER ... rules are not imported for a file without those instructions
    assert "dockgen_rules.dg019_consecutive_run_instructions" not in rules
    assert "dockgen_rules.dg137_label_empty" not in rules
    assert len(rules) < len(default_ruleset()) / 2
    if _declared_packs() == {BUILTIN_PACK}:
        assert "importlib.metadata" not in modules  # no entry-point scan with only the built-in pack


def test_a_file_that_triggers_most_rules_still_loads_no_renderer_or_cache(tmp_path: Path) -> None:
    """RUN, COPY and LABEL wake most rules; none of them may pull in the renderer's templates, the cache's
    hashing, TOML, diffs, process control, ``dataclasses`` (with ``inspect``) or ``typing`` for a plain
    ``lint --no-cache`` of one file."""
    (tmp_path / ".git").mkdir()
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(
        "FROM debian:bookworm\nLABEL maintainer=someone\n"
        "RUN apt-get update && apt-get install -y curl\nRUN cargo build --release\n"
        'COPY . /src\nCMD ["/bin/sh"]\n'
    )
    result = _probe(dockerfile)
    modules = set(result["modules"])  # type: ignore[arg-type]
    assert result["code"] == 1
    assert "dockgen_rules.dg019_consecutive_run_instructions" in modules  # the rules did run
    for heavy in (
        "jinja2",
        "tomllib",
        "hashlib",
        "difflib",
        "subprocess",
        "traceback",
        "runpy",
        "pkgutil",
        "shutil",
        "dataclasses",  # the lint path's value classes are dockgen._record records
        "inspect",
        "typing",  # typing names are imported for type checkers only (dockgen._static)
    ):
        assert heavy not in modules, heavy


def test_a_third_party_pack_still_runs(tmp_path: Path) -> None:
    """A pack installed as a distribution (a dist-info with a ``dockgen.rules`` entry point) is loaded."""
    site = _installed_pack(tmp_path / "site", "dockgen-testrules", "testrules = testrules")
    (tmp_path / ".git").mkdir()
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM debian:12\nRUN apt-get install curl\n")
    pythonpath = os.pathsep.join([str(site), str(FIXTURES), os.environ.get("PYTHONPATH", "")])
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "dockgen",
            "lint",
            "--no-cache",
            "--no-hadolint",
            "--select",
            "DG901,DG035",
            "Dockerfile",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "NO_COLOR": "1", "PYTHONPATH": pythonpath},
        timeout=120,
    )
    assert "DG901 (DL3014) warning" in out.stdout, out.stdout + out.stderr  # the plugin's rule
    assert "DG035 (DL3014) warning" in out.stdout  # and the built-in one


def test_a_third_party_pack_with_an_index_is_imported_only_when_a_file_can_trigger_it(tmp_path: Path) -> None:
    """Any pack may ship ``<pack>/_index.py`` (rows of ``RuleInfo.index_row()``); the registry finds it by the
    entry point's name and imports a rule's module only for a file with an instruction the rule looks at."""
    sys.path.insert(0, str(FIXTURES))
    try:
        import testrules

        from dockgen.lint.registry import RuleInfo, rule_classes_in

        rows = [RuleInfo.of(c).index_row() for c in rule_classes_in(testrules)]
    finally:
        sys.path.remove(str(FIXTURES))
        sys.modules.pop("testrules", None)
    wanted = [r for r in rows if r[0] == "DG901"]
    assert wanted and wanted[0][8] is not None  # DG901 looks at RUN only
    site = _installed_pack(tmp_path / "site", "dockgen-idxrules", "idx = idxrules")
    (site / "idxrules").mkdir()
    (site / "idxrules" / "__init__.py").write_text("")
    (site / "idxrules" / "_index.py").write_text(f"RULES = {tuple(wanted)!r}\n")
    (tmp_path / ".git").mkdir()
    env = {"PYTHONPATH": os.pathsep.join([str(site), str(FIXTURES), os.environ.get("PYTHONPATH", "")])}
    with_run = tmp_path / "Dockerfile"
    with_run.write_text("FROM debian:12\nRUN apt-get install curl\n")
    result = _probe(with_run, "--select", "DG901,DG120", env=env)
    assert "DG901" in str(result["output"]), result["output"]  # the indexed pack's rule ran
    assert "testrules" in result["modules"]  # type: ignore[operator]
    without_run = tmp_path / "other" / "Dockerfile"
    without_run.parent.mkdir()
    without_run.write_text("FROM debian:12\nCMD python app.py\n")
    result = _probe(without_run, "--select", "DG901,DG120", env=env)
    assert "DG120" in str(result["output"]), result["output"]  # the built-in pack still runs next to it
    assert "testrules" not in result["modules"]  # type: ignore[operator]  # nothing in the file can wake DG901: never imported


def test_an_unchanged_file_is_answered_from_the_cache_without_parser_rules_or_openssl(tmp_path: Path) -> None:
    """A cache hit (an editor re-linting a saved, unchanged file) needs neither the parser nor a rule, nor
    hashlib's OpenSSL start-up: the cache hashes with the built-in blake2b."""
    (tmp_path / ".git").mkdir()
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl\n")
    env = {"PROBE_WITH_CACHE": "1", "DOCKGEN_CACHE_DIR": str(tmp_path / "cache")}
    first = _probe(dockerfile, env=env)
    # the cache directory lies inside the file's build context; a commit touches .git: neither is a change
    # of the context (both used to change the key of every file whose context holds them)
    (tmp_path / ".git" / "index").write_text("changed")
    second = _probe(dockerfile, env=env)
    assert first["code"] == second["code"] == 1
    assert first["output"] == second["output"] and "DG040" in str(second["output"])
    modules = set(second["modules"])  # type: ignore[arg-type]
    assert "dockgen.lint.cache" in modules
    for unneeded in ("dockgen.parse", "dockgen.shell.syntax", "hashlib", "_hashlib", "typing"):
        assert unneeded not in modules, unneeded
    assert not [m for m in modules if m.startswith("dockgen_rules.dg")]
