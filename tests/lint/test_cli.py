"""``dockgen lint`` / ``dockgen rules`` / ``dockgen rule`` in-process, on real files with the real rule pack."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from dockgen.cli import main
from dockgen.lint.config import find_config

ADD = "FROM python:3.12-slim\n# keep\nADD  app.py   /app/\n"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()  # stop config discovery here
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    find_config.cache_clear()


def lint(*argv: str) -> int:
    return main(argv=["lint", "--select", "DG100", *argv])


def test_findings_and_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "Dockerfile").write_text(ADD)
    assert lint("Dockerfile") == 1
    out = capsys.readouterr().out
    assert out.startswith("Dockerfile:3:1 DG100 (DL3020) warning [*] ADD of local app.py: use COPY")
    assert "1 fixable with --fix" in out


def test_clean_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "Dockerfile").write_text("FROM python:3.12-slim\nCOPY app.py /app/\n")
    assert lint("Dockerfile") == 0
    assert capsys.readouterr().out == "All clean: 1 file checked.\n"


def test_fix_rewrites_minimally_and_second_fix_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "Dockerfile"
    f.write_text(ADD)
    assert lint("--fix", "Dockerfile") == 0
    assert f.read_text() == "FROM python:3.12-slim\n# keep\nCOPY  app.py   /app/\n"
    assert "Fixed 1 problem in 1 file." in capsys.readouterr().out
    assert lint("--fix", "Dockerfile") == 0
    assert f.read_text() == "FROM python:3.12-slim\n# keep\nCOPY  app.py   /app/\n"


def test_diff_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "Dockerfile"
    f.write_text(ADD)
    assert lint("--diff", "Dockerfile") == 1
    cap = capsys.readouterr()
    assert "-ADD  app.py   /app/\n+COPY  app.py   /app/\n" in cap.out
    assert cap.out.startswith("--- a/Dockerfile\n+++ b/Dockerfile\n")
    assert "Would fix 1 problem in 1 file." in cap.err
    assert f.read_text() == ADD


def test_fix_and_diff_exclusive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "Dockerfile").write_text(ADD)
    assert lint("--fix", "--diff", "Dockerfile") == 2


def test_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(ADD))
    assert lint("-", "--stdin-filename", "web/Dockerfile") == 1
    assert capsys.readouterr().out.startswith("web/Dockerfile:3:1 DG100")


def test_stdin_fix_prints_fixed_text(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(ADD))
    assert lint("-", "--fix") == 0
    cap = capsys.readouterr()
    assert cap.out == "FROM python:3.12-slim\n# keep\nCOPY  app.py   /app/\n"
    assert "Fixed 1 problem" in cap.err


def test_json_to_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "Dockerfile").write_text(ADD)
    assert lint("--format", "json", "--output", "out/report.json", "Dockerfile") == 1
    doc = json.loads((tmp_path / "out" / "report.json").read_text())
    assert [f["code"] for f in doc["findings"]] == ["DG100"]
    assert capsys.readouterr().out == ""


def test_every_file_reported_when_one_is_unparseable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.Dockerfile").write_text(ADD)
    (tmp_path / "b.Dockerfile").write_text("FROM a\nSHELL not json\n")
    (tmp_path / "c.Dockerfile").write_text(ADD)
    assert lint("a.Dockerfile", "b.Dockerfile", "c.Dockerfile") == 2
    out = capsys.readouterr().out
    assert "a.Dockerfile:3:1 DG100" in out and "c.Dockerfile:3:1 DG100" in out
    assert "b.Dockerfile:2:1 PARSE error" in out


def test_missing_path_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert lint("nope/Dockerfile") == 2
    assert "nope/Dockerfile: no such file" in capsys.readouterr().err


def test_no_paths_lints_dockerfiles_under_cwd(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "api.Dockerfile").write_text(ADD)
    assert lint() == 1
    assert capsys.readouterr().out.startswith("svc/api.Dockerfile:3:1 DG100")


def test_no_paths_nothing_to_lint(capsys: pytest.CaptureFixture[str]) -> None:
    assert lint() == 2
    assert "nothing to lint" in capsys.readouterr().err


def test_config_error_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "dockgen.toml").write_text("ignroe = ['DG100']\n")
    (tmp_path / "Dockerfile").write_text(ADD)
    assert lint("Dockerfile") == 2
    assert "dockgen.toml:1: ignroe: unknown configuration key" in capsys.readouterr().err


def test_config_ignore_by_equivalent_and_threshold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "Dockerfile").write_text(ADD)
    (tmp_path / "dockgen.toml").write_text("ignore = ['DL3020']\n")
    assert main(argv=["lint", "--extend-select", "DG100", "--ignore", "DG1", "Dockerfile"]) in (0, 1)
    find_config.cache_clear()
    (tmp_path / "dockgen.toml").write_text("failure-threshold = 'error'\n")
    assert lint("Dockerfile") == 0  # a warning is below the threshold
    assert lint("--failure-threshold", "warning", "Dockerfile") == 1
    assert lint("--severity", "DG100=error", "Dockerfile") == 1


def test_rules_and_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv=["rules"]) == 0
    out = capsys.readouterr().out
    assert "DG100  add-instead-of-copy" in out
    assert main(argv=["rules", "--format", "json"]) == 0
    rules = json.loads(capsys.readouterr().out)
    assert {"code", "name", "severity", "fix_availability", "equivalents", "summary", "url"} <= set(rules[0])
    assert main(argv=["rule", "DG100"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("DG100 add-instead-of-copy\n") and "## Example" in text
    assert main(argv=["rule", "DL3020", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["code"] == "DG100"
    assert main(argv=["rule", "add-instead-of-copy"]) == 0
    capsys.readouterr()
    assert main(argv=["rule", "DG10O"]) == 2
    assert "no rule 'DG10O'" in capsys.readouterr().err


def test_the_hook_entry_reports_an_internal_error_with_exit_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``dockgen lint`` (also the pre-commit hook's entry) reports a bug as exit 3 with a plain "internal
    error" line, not a raw traceback ending the process."""
    from dockgen.commands import lint as lint_command

    def crash(*_: object) -> int:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(lint_command, "run", crash)
    assert main(argv=["lint", str(tmp_path)]) == 3
    err = capsys.readouterr().err
    assert err.startswith("internal error (a bug in dockgen")
    assert "simulated bug" in err


def test_the_hook_entry_reports_a_user_error_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv=["lint", "--format", "no-such-format", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "no-such-format" in err
    assert "Traceback" not in err


MANY = "FROM debian:bookworm\nADD a.txt /a/\nADD b.txt /b/\nRUN cd /srv && ls\n"


def test_statistics_counts_per_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "Dockerfile").write_text(MANY)
    assert main(argv=["lint", "--select", "DG100,DG020", "--statistics", "Dockerfile"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["2", "DG100", "(DL3020)", "[*]", "add-instead-of-copy"]
    assert lines[1].split() == ["1", "DG020", "(DL3003)", "cd-in-run"]
    assert lines[2].startswith("Found 3 problems")


def test_show_fixes_and_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "Dockerfile").write_text(MANY)
    assert main(argv=["lint", "--select", "DG100", "--show-fixes", "--show-source", "Dockerfile"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == [
        "Dockerfile:2:1 DG100 (DL3020) warning [*] ADD of local a.txt: use COPY (ADD is for URLs and archives)",
        "  2 | ADD a.txt /a/",
    ]
    assert any(line.startswith("  Dockerfile:2 DG100: ") for line in out)
    assert main(argv=["lint", "--select", "DG100", "--fix", "--show-fixes", "Dockerfile"]) == 0
    out = capsys.readouterr().out
    assert "Fixed 2 problems in Dockerfile" in out
