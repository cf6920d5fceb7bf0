"""Prints a small usage report from the bundled CSV."""

import csv
from pathlib import Path

rows = list(csv.DictReader(Path(__file__).with_name("usage.csv").open()))
total = sum(int(r["requests"]) for r in rows)
for r in rows:
    print(f"{r['service']:<10} {int(r['requests']):>6} {100 * int(r['requests']) / total:5.1f}%")
print(f"{'total':<10} {total:>6}")
