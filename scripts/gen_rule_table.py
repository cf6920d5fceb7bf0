#!/usr/bin/env python3
"""Generate the rule reference from the rules' docstrings.

Writes ``docs/rules.md`` (table + every rule's documentation) and the table between the
``<!-- rules:start -->`` / ``<!-- rules:end -->`` markers in ``README.md``. ``--check`` writes nothing and exits 1
when either file is out of date (tests/lint/test_rule_table.py runs the same comparison).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dockgen.lint.docs import TABLE_END, TABLE_START, replace_block, rules_markdown, rules_table
from dockgen.lint.registry import default_ruleset

ROOT = Path(__file__).resolve().parent.parent


def expected(root: Path = ROOT) -> dict[Path, str]:
    """File -> the content it should have."""
    rules = list(default_ruleset())
    out = {root / "docs" / "rules.md": rules_markdown(rules)}
    readme = root / "README.md"
    if readme.is_file():
        text = readme.read_text(encoding="utf-8")
        if TABLE_START in text and TABLE_END in text:
            out[readme] = replace_block(text, rules_table(rules))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="exit 1 if a file is out of date; write nothing")
    args = parser.parse_args(argv)
    stale = []
    for path, content in expected().items():
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == content:
            continue
        stale.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    if args.check and stale:
        for p in stale:
            print(
                f"{p.relative_to(ROOT)} is out of date: run python scripts/gen_rule_table.py", file=sys.stderr
            )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
