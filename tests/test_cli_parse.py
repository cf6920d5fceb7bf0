from __future__ import annotations

import json
from pathlib import Path

import pytest

from dockgen.cli import main


def test_parse_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "Dockerfile"
    f.write_text("FROM alpine AS base\nRUN --mount=type=cache,target=/c echo hi\n")
    assert main(argv=["parse", str(f), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [i["keyword"] for i in data["instructions"]] == ["FROM", "RUN"]
    assert data["instructions"][1]["flags"] == [{"name": "mount", "value": "type=cache,target=/c"}]
    assert data["stages"][0]["name"] == "base"
    assert data["instructions"][1]["span"]["start_line"] == 2


def test_parse_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "Dockerfile"
    f.write_text("FROM alpine\nENV A=1\n")
    assert main(argv=["parse", str(f)]) == 0
    out = capsys.readouterr().out
    assert "stage 0 - FROM alpine" in out and "ENV" in out


def test_parse_error_is_located_no_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "Dockerfile"
    f.write_text("FROM alpine\nRUNN x\n")
    assert main(argv=["parse", str(f)]) == 2
    err = capsys.readouterr().err
    assert f"{f}:2:1: unknown instruction: RUNN" in err
    assert "did you mean RUN" in err
    assert "Traceback" not in err


def test_usage_error_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv=["no-such-command"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_python_m_dockgen_runs() -> None:
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "dockgen", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("dockgen ")
