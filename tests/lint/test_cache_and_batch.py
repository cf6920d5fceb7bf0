"""The fast paths of ``dockgen lint`` change no finding: the rule index with lazily imported rules, the content
cache (``.dockgen_cache``) and worker processes give exactly what linting every file with every rule imported
gives; and the cache notices what it must (the file, the config, the build context)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import dockgen_rules
import pytest

from dockgen.cli import main
from dockgen.lint.cache import LintCache
from dockgen.lint.config import find_config
from dockgen.lint.engine import Linter, LintReport
from dockgen.lint.formatters import FormatOptions, formatter
from dockgen.lint.registry import RuleSet, default_ruleset, rule_classes_in

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of tests/corpus as a repository of its own (config discovery stops at its .git)."""
    root = tmp_path / "repo"
    shutil.copytree(CORPUS, root)
    (root / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    find_config.cache_clear()
    return root


def _json(report: LintReport) -> object:
    return json.loads(formatter("json").render(report, FormatOptions()))


def test_index_lazy_rules_cache_and_workers_change_no_finding(corpus: Path, tmp_path: Path) -> None:
    # reference: every rule class imported up front, one process, no cache
    eager = Linter(RuleSet.from_classes(rule_classes_in(dockgen_rules)), jobs=1)
    reference = _json(eager.lint_paths([corpus]))
    assert default_ruleset().infos == eager.ruleset.infos  # the committed index describes the same rules

    cache_dir = tmp_path / "cache"
    for jobs in (2, 1):  # first run: workers fill the cache; second: every result comes from it
        fast = Linter(jobs=jobs)
        fast.cache = LintCache(cache_dir, fast.ruleset.fingerprint(), "test")
        assert _json(fast.lint_paths([corpus])) == reference
    assert sum(len(json.loads(f.read_text())) for f in cache_dir.glob("lint-*.json")) >= 100


def run_lint(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    sys_stdout = sys.stdout
    sys.stdout = out
    try:
        code = main(argv=["lint", "--no-hadolint", *argv])
    finally:
        sys.stdout = sys_stdout
    return code, out.getvalue()


def test_cache_directory_is_ignored_by_git_and_no_cache_writes_nothing(corpus: Path, tmp_path: Path) -> None:
    assert run_lint("--no-cache", str(corpus))[0] in (1, 2)
    assert not (tmp_path / ".dockgen_cache").exists()
    first = run_lint(str(corpus))
    assert (tmp_path / ".dockgen_cache" / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (tmp_path / ".dockgen_cache" / "CACHEDIR.TAG").is_file()
    assert run_lint(str(corpus)) == first


def test_a_changed_file_config_or_context_is_linted_again(corpus: Path) -> None:
    app = corpus / "app"
    app.mkdir()
    dockerfile = app / "Dockerfile"
    dockerfile.write_text("FROM python:3.12-slim\nCOPY .env /app/\nADD app.py /app/\n")
    (app / ".env").write_text("X=1\n")
    code, out = run_lint(str(dockerfile))
    assert "DG104" not in out and "DG100" in out and code == 1

    (app / ".dockerignore").write_text(".env\n")  # the build context changed, the Dockerfile did not
    assert "DG104" in run_lint(str(dockerfile))[1]

    (corpus / "dockgen.toml").write_text('ignore = ["DG100"]\n')  # the config changed
    find_config.cache_clear()
    assert "DG100" not in run_lint(str(dockerfile))[1]

    dockerfile.write_text("FROM python:3.12-slim\nCOPY app.py /app/\n")  # the file changed
    assert "DG104" not in run_lint(str(dockerfile))[1]


def test_an_unreadable_cache_is_ignored(corpus: Path, tmp_path: Path) -> None:
    first = run_lint(str(corpus))
    for f in (tmp_path / ".dockgen_cache").glob("lint-*.json"):
        f.write_text('{"truncated": [tr')
    assert run_lint(str(corpus)) == first


def test_cache_entries_of_the_wrong_shape_are_linted_again(corpus: Path, tmp_path: Path) -> None:
    """Valid JSON holding entries a run cannot use (another layout, a hand edit, a half-written merge) is
    ignored entry by entry: the output is what a fresh lint gives, and nothing crashes."""
    first = run_lint(str(corpus))
    broken = [
        [False, [["DG001"]]],  # too few fields
        [False, [["DG001", "n", "m", 99, None, 0, None, "dockgen"]]],  # an unknown severity
        [False, [["DG001", "n", "m", 2, [0, 1], 0, None, "dockgen"]]],  # a span of the wrong length
        [False, [["DG001", "n", "m", 2, None, 0, ["fix"], "dockgen"]]],  # a fix without its safety
        "not an entry",
    ]
    shards = list((tmp_path / ".dockgen_cache").glob("lint-*.json"))
    assert shards
    for shard in shards:
        data = json.loads(shard.read_text())
        shard.write_text(json.dumps({key: broken[i % len(broken)] for i, key in enumerate(data)}))
    assert run_lint(str(corpus)) == first


def test_concurrent_runs_share_the_cache_safely(corpus: Path, tmp_path: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    cmd = [sys.executable, "-m", "dockgen", "lint", "--no-hadolint", "--jobs", "1", str(corpus)]
    procs = [
        subprocess.Popen(
            cmd, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    assert len({o for o, _ in outs}) == 1 and all(e == "" or "Traceback" not in e for _, e in outs)
    files = list((tmp_path / ".dockgen_cache").glob("lint-*.json"))
    assert files and all(json.loads(f.read_text()) for f in files)  # whole, valid JSON
    assert not list((tmp_path / ".dockgen_cache").glob("*.tmp"))
    again = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert again.stdout == outs[0][0]


def test_the_console_script_writes_everything_before_its_quick_exit(corpus: Path, tmp_path: Path) -> None:
    """``dockgen lint`` ends without the interpreter's teardown: the whole report still reaches a pipe (as a
    large as the corpus gives, JSON so a cut shows), the exit code is the command's, and the cache is on disk."""
    code, in_process = run_lint("--no-cache", "--format", "json", str(corpus))
    env = {**os.environ, "NO_COLOR": "1"}
    cmd = [sys.executable, "-m", "dockgen", "lint", "--no-hadolint", "--format", "json", str(corpus)]
    first = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == code, first.stderr
    assert json.loads(first.stdout) == json.loads(in_process)
    assert len(first.stdout) > 10_000
    shards = list((tmp_path / ".dockgen_cache").glob("lint-*.json"))
    assert shards and all(json.loads(s.read_text()) for s in shards)  # complete, parseable cache files
    again = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert (again.returncode, again.stdout) == (first.returncode, first.stdout)


def test_a_profiler_watching_the_console_script_still_gets_its_exit(corpus: Path, tmp_path: Path) -> None:
    """With a profiler (or coverage, a debugger) installed the quick exit steps aside: the tool writes its data
    at a normal exit."""
    profile = tmp_path / "lint.prof"
    cmd = [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "dockgen", "lint", "--no-hadolint"]
    done = subprocess.run(
        [*cmd, "--no-cache", str(corpus / "add-vs-copy.Dockerfile")],
        cwd=tmp_path,
        env={**os.environ, "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Found 4 problems" in done.stdout, done.stdout + done.stderr  # (cProfile -m reports exit 0)
    assert profile.is_file() and profile.stat().st_size > 1000
