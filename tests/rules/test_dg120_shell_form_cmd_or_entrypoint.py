from __future__ import annotations

import pytest
from _helpers import lines, only_replacement, run
from dockgen_rules.dg120_shell_form_cmd_or_entrypoint import ShellFormCmdOrEntrypoint, exec_words

CATCHES = [
    pytest.param("FROM alpine\nCMD python app.py\n", [2], id="cmd"),
    pytest.param("FROM alpine\nENTRYPOINT /entrypoint.sh\n", [2], id="entrypoint"),
    pytest.param("FROM alpine\nCMD gunicorn -b 0.0.0.0:$PORT app:app\n", [2], id="needs-shell"),
    pytest.param(
        'FROM alpine AS a\nSHELL ["/bin/bash", "-c"]\nFROM alpine\nCMD x\n', [4], id="shell-other-stage"
    ),
]
CLEAN = [
    pytest.param('FROM alpine\nCMD ["python", "app.py"]\n', id="exec-form"),
    pytest.param('FROM alpine\nSHELL ["pwsh", "-Command"]\nCMD Write-Host hi\n', id="custom-shell"),
    pytest.param(
        'FROM alpine AS base\nSHELL ["/bin/bash", "-c"]\nFROM base\nCMD echo hi\n', id="inherited-shell"
    ),
    pytest.param("FROM alpine\nRUN echo hi\n", id="run-is-fine"),
    pytest.param("FROM alpine\nHEALTHCHECK CMD wget -q -O- http://localhost/\n", id="healthcheck-cmd"),
]


@pytest.mark.parametrize(("text", "expected"), CATCHES)
def test_catches(text: str, expected: list[int]) -> None:
    assert lines(run(ShellFormCmdOrEntrypoint, text)) == expected


@pytest.mark.parametrize("text", CLEAN)
def test_does_not_catch(text: str) -> None:
    assert run(ShellFormCmdOrEntrypoint, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("python app.py", ["python", "app.py"], id="plain"),
        pytest.param("exec python app.py", ["python", "app.py"], id="exec-dropped"),
        pytest.param("echo 'hello world'", ["echo", "hello world"], id="quoted"),
        pytest.param('nginx -g "daemon off;"', None, id="semicolon-inside-quotes-is-refused"),
        pytest.param("echo $HOME", None, id="variable"),
        pytest.param("a && b", None, id="and"),
        pytest.param("run > /log", None, id="redirect"),
        pytest.param("ls *.py", None, id="glob"),
        pytest.param("FOO=1 app", None, id="assignment"),
        pytest.param("app # comment", None, id="comment"),
    ],
)
def test_exec_words(text: str, expected: list[str] | None) -> None:
    assert exec_words(text) == expected


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        pytest.param("FROM alpine\nCMD app serve\n", True, id="cmd-safe"),
        pytest.param("FROM alpine\nENTRYPOINT app serve\n", True, id="entrypoint-safe"),
        pytest.param("FROM alpine\nENTRYPOINT app serve\nCMD --debug\n", False, id="entrypoint-with-cmd"),
        pytest.param(
            'FROM alpine\nENTRYPOINT ["tini", "--"]\nCMD app serve\n', False, id="cmd-after-entrypoint"
        ),
    ],
)
def test_fix(text: str, safe: bool) -> None:
    finding = run(ShellFormCmdOrEntrypoint, text)[0]
    (new,) = only_replacement(finding)
    assert (new.form, new.args) == ("exec", ("app", "serve"))
    assert finding.fix is not None and finding.fix.safe is safe


def test_no_fix_when_a_shell_is_needed() -> None:
    (finding,) = run(ShellFormCmdOrEntrypoint, "FROM alpine\nCMD app --port $PORT\n")
    assert finding.fix is None


@pytest.mark.parametrize(
    ("text", "words"),
    [
        pytest.param(
            "FROM alpine\nENTRYPOINT exec /app/start --port 8080\n", "ignores CMD", id="entrypoint-exec"
        ),
        pytest.param("FROM alpine\nCMD exec /app/start\n", "needless /bin/sh", id="cmd-exec"),
        pytest.param("FROM alpine\nCMD /app/start\n", "does not forward signals", id="no-exec"),
    ],
)
def test_message_says_what_exec_does_and_does_not_fix(text: str, words: str) -> None:
    (finding,) = run(ShellFormCmdOrEntrypoint, text)
    assert words in finding.message
