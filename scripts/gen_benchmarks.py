"""Write the README's Benchmarks block from the results files the benchmark scripts write.

    python scripts/gen_benchmarks.py          # rewrite the block between the markers in README.md
    python scripts/gen_benchmarks.py --check  # exit 1 (and say what) when README.md is stale

Numbers are never typed into the README: each script under ``benchmarks/`` writes
``benchmarks/results/<benchmark>.json`` (format in benchmarks/README.md, checked here), and this script turns
every results file into a table between ``<!-- benchmarks:start -->`` and ``<!-- benchmarks:end -->``.
tests/test_benchmarks_block.py fails when the README does not match the results files.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
START = "<!-- benchmarks:start -->"
END = "<!-- benchmarks:end -->"

REQUIRED = {"benchmark": str, "title": str, "command": str, "columns": list, "rows": list}
OPTIONAL = {"unit": str, "statistic": str, "machine": str, "measured": str, "notes": str, "doc": str}


class ResultsError(Exception):
    """A results file that does not follow the format: names the file and what is wrong."""


def load(path: Path) -> dict[str, Any]:
    """Read and check one results file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ResultsError(f"{path}: cannot read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise ResultsError(f"{path}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}") from None
    if not isinstance(data, dict):
        raise ResultsError(f"{path}: must hold a JSON object")
    for key, kind in REQUIRED.items():
        if not isinstance(data.get(key), kind):
            raise ResultsError(f"{path}: {key!r} is missing or not a {kind.__name__}")
    for key, kind in OPTIONAL.items():
        if key in data and not isinstance(data[key], kind):
            raise ResultsError(f"{path}: {key!r} must be a {kind.__name__}")
    unknown = sorted(set(data) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise ResultsError(f"{path}: unknown key(s) {', '.join(unknown)} (see benchmarks/README.md)")
    if data["benchmark"] != path.stem:
        raise ResultsError(f"{path}: 'benchmark' is {data['benchmark']!r}, the file name says {path.stem!r}")
    columns = data["columns"]
    if not columns or not all(isinstance(c, str) and c for c in columns):
        raise ResultsError(f"{path}: 'columns' must be a non-empty list of names")
    if not data["rows"]:
        raise ResultsError(f"{path}: 'rows' is empty")
    for i, row in enumerate(data["rows"]):
        if not isinstance(row, dict) or set(row) != set(columns):
            raise ResultsError(f"{path}: rows[{i}] must be an object with exactly the keys {columns}")
        for column, value in row.items():
            if not isinstance(value, str | int | float) or isinstance(value, bool):
                raise ResultsError(f"{path}: rows[{i}][{column!r}] must be a number or a string")
    return data


def _cell(value: str | int | float) -> str:
    if isinstance(value, float):
        text = f"{value:.3f}".rstrip("0").rstrip(".") if abs(value) < 100 else f"{value:.0f}"
    else:
        text = str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def render_one(data: dict[str, Any]) -> str:
    lines = [f"### {data['title']}", ""]
    how = [f"`{data['command']}`"]
    if "statistic" in data or "unit" in data:
        how.append(
            ", ".join(x for x in (data.get("statistic"), data.get("unit") and f"in {data['unit']}") if x)
        )
    if "measured" in data or "machine" in data:
        when = "measured" + (f" {data['measured']}" if "measured" in data else "")
        how.append(when + (f" on {data['machine']}" if "machine" in data else ""))
    if "doc" in data:
        how.append(f"method: [{data['doc']}]({data['doc']})")
    lines += ["; ".join(how) + ".", ""]
    columns = data["columns"]
    lines.append("| " + " | ".join(_cell(c) for c in columns) + " |")
    lines.append("|" + "|".join("---" for _ in columns) + "|")
    for row in data["rows"]:
        lines.append("| " + " | ".join(_cell(row[c]) for c in columns) + " |")
    if data.get("notes"):
        lines += ["", " ".join(data["notes"].split())]
    return "\n".join(lines)


def render_block(results_dir: Path) -> str:
    files = sorted(results_dir.glob("*.json"))
    if not files:
        return "No results yet: run the scripts under `benchmarks/` (see benchmarks/README.md)."
    return "\n\n".join(render_one(load(path)) for path in files)


def replace_block(readme: str, block: str) -> str:
    start, end = readme.find(START), readme.find(END)
    if start < 0 or end < start:
        raise ResultsError(f"README has no {START} ... {END} block")
    return readme[: start + len(START)] + "\n" + block + "\n" + readme[end:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when README.md is stale")
    parser.add_argument(
        "--results", type=Path, default=ROOT / "benchmarks" / "results", help=argparse.SUPPRESS
    )
    parser.add_argument("--readme", type=Path, default=ROOT / "README.md", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        current = args.readme.read_text(encoding="utf-8")
        wanted = replace_block(current, render_block(args.results))
    except ResultsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if current == wanted:
        print(f"{args.readme.name}: Benchmarks block up to date", file=sys.stderr)
        return 0
    if args.check:
        print(
            f"{args.readme.name}: the Benchmarks block does not match {args.results}; "
            "run `python scripts/gen_benchmarks.py`",
            file=sys.stderr,
        )
        return 1
    args.readme.write_text(wanted, encoding="utf-8")
    print(f"wrote the Benchmarks block of {args.readme}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
