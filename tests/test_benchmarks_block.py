"""The README's Benchmarks block is generated from the benchmark scripts' results files
(``benchmarks/results/*.json``, written by ``benchmarks/record.py``) by ``scripts/gen_benchmarks.py``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GEN = ROOT / "scripts" / "gen_benchmarks.py"
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "scripts"))

import gen_benchmarks  # noqa: E402
from record import write_results  # noqa: E402


def gen(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(GEN), *args], capture_output=True, text=True, timeout=60)


def test_readme_block_matches_the_results_files() -> None:
    res = gen("--check")
    assert res.returncode == 0, res.stderr


@pytest.mark.parametrize(
    "path", sorted((ROOT / "benchmarks" / "results").glob("*.json")), ids=lambda p: p.name
)
def test_results_files_follow_the_format(path: Path) -> None:
    gen_benchmarks.load(path)


def _readme(tmp_path: Path) -> Path:
    readme = tmp_path / "README.md"
    readme.write_text(
        "# x\n\n## Benchmarks\n\n<!-- benchmarks:start -->\n<!-- benchmarks:end -->\n\n## Next\n",
        encoding="utf-8",
    )
    return readme


def test_a_new_results_file_becomes_a_table(tmp_path: Path) -> None:
    results = tmp_path / "results"
    path = write_results(
        "lint_throughput",
        title="Linting 300 Dockerfiles",
        command="python benchmarks/lint_throughput.py --repeat 3",
        columns=["tool", "wall s", "CPU s"],
        rows=[
            {"tool": "dockgen", "wall s": 0.851, "CPU s": 0.43},
            {"tool": "hadolint", "wall s": 2.5, "CPU s": 2},
        ],
        statistic="median of 3",
        unit="s",
        notes="same files, same run",
        doc="docs/lint.md#performance",
        directory=results,
    )
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["machine"] and data["measured"]
    readme = _readme(tmp_path)
    args = ("--results", str(results), "--readme", str(readme))
    assert gen(*args, "--check").returncode == 1  # the empty block is stale now
    assert gen(*args).returncode == 0
    text = readme.read_text(encoding="utf-8")
    assert "### Linting 300 Dockerfiles\n" in text
    assert (
        "| tool | wall s | CPU s |\n|---|---|---|\n| dockgen | 0.851 | 0.43 |\n| hadolint | 2.5 | 2 |\n"
        in text
    )
    assert "`python benchmarks/lint_throughput.py --repeat 3`; median of 3, in s; measured " in text
    assert "[docs/lint.md#performance](docs/lint.md#performance)" in text
    assert text.endswith("<!-- benchmarks:end -->\n\n## Next\n")
    assert gen(*args, "--check").returncode == 0
    # a re-measured number makes the README stale until it is regenerated
    data["rows"][0]["wall s"] = 0.9
    path.write_text(json.dumps(data), encoding="utf-8")
    res = gen(*args, "--check")
    assert res.returncode == 1 and "run `python scripts/gen_benchmarks.py`" in res.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "not JSON"),
        ('{"benchmark": "b", "title": "t", "command": "c", "columns": ["a"]}', "'rows' is missing"),
        (
            '{"benchmark": "other", "title": "t", "command": "c", "columns": ["a"], "rows": [{"a": 1}]}',
            "file name",
        ),
        ('{"benchmark": "b", "title": "t", "command": "c", "columns": ["a"], "rows": [{"x": 1}]}', "rows[0]"),
        (
            '{"benchmark": "b", "title": "t", "command": "c", "columns": ["a"], "rows": [{"a": 1}], "unti": "s"}',
            "unknown key",
        ),
    ],
    ids=["json", "missing", "name", "row-keys", "typo"],
)
def test_a_malformed_results_file_is_named(tmp_path: Path, content: str, message: str) -> None:
    results = tmp_path / "results"
    results.mkdir()
    (results / "b.json").write_text(content, encoding="utf-8")
    res = gen("--results", str(results), "--readme", str(_readme(tmp_path)))
    assert res.returncode == 1
    assert res.stderr.startswith(f"error: {results / 'b.json'}") and message in res.stderr
    assert "Traceback" not in res.stderr
