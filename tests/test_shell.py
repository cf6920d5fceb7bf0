"""Tests for dockgen.shell: splitting RUN text into simple commands, flags, subcommands, heredocs, env."""

from __future__ import annotations

import time

import pytest

from dockgen.ir import Dockerfile, Heredoc, IRInstruction, KeyValue
from dockgen.parse import parse_text
from dockgen.shell.argv import has_flag, operands, program, subcommand
from dockgen.shell.packages import find_install
from dockgen.shell.run import file_writes, is_shell_heredoc, run_commands
from dockgen.shell.syntax import commands
from dockgen.stages import env_before


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "apt-get update && apt-get install -y x",
            [("apt-get", "update"), ("apt-get", "install", "-y", "x")],
        ),
        ("a || b; c | d & e", [("a",), ("b",), ("c",), ("d",), ("e",)]),
        ("a\nb", [("a",), ("b",)]),
        ("echo 'a && b' \"c; d\"", [("echo", "a && b", "c; d")]),
        ("echo a\\ b", [("echo", "a b")]),
        ("(cd /x && make) | tee log", [("cd", "/x"), ("make",), ("tee", "log")]),
        ("{ a; b; } > out", [("a",), ("b",)]),
        ("if [ -f x ]; then a; else b; fi", [("[", "-f", "x", "]"), ("a",), ("b",)]),
        ("for i in 1 2; do echo $i; done", [("echo", "$i")]),
        ("while true; do x; done", [("true",), ("x",)]),
        ("case $x in a) one;; b) two;; esac; after", [("after",)]),
        ("echo $(cat 'f)' | wc) done", [("echo", "$(cat 'f)' | wc)", "done")]),
        ("echo ${A:-x y} `date`", [("echo", "${A:-x y}", "`date`")]),
        ("a # comment && b\nc", [("a",), ("c",)]),
        ("echo a#b", [("echo", "a#b")]),
        ("cmd 2>&1 >/dev/null < in", [("cmd",)]),
        ("cat <<EOF > /x\nrm -rf /\nEOF\nnext", [("cat",), ("next",)]),
        ("cat <<-'EOF'\n\trm -rf /\n\tEOF\nnext", [("cat",), ("next",)]),
        ("! grep x f", [("grep", "x", "f")]),
        ("", []),
        ("  ;; \n ; ", []),
    ],
    ids=[
        "and",
        "all-operators",
        "newline",
        "quotes",
        "escaped-space",
        "subshell",
        "group",
        "if",
        "for",
        "while",
        "case-skipped",
        "command-substitution",
        "param-and-backticks",
        "comment",
        "hash-inside-word",
        "redirects",
        "heredoc-body-skipped",
        "heredoc-strip-tabs",
        "bang",
        "empty",
        "only-separators",
    ],
)
def test_commands_split(text: str, expected: list[tuple[str, ...]]) -> None:
    assert [c.argv for c in commands(text)] == expected


@pytest.mark.parametrize(
    ("text", "ops"),
    [
        ("a && b || c; d | e |& f & g", ["&&", "||", ";", "|", "|&", "&", ""]),
        ("(a && b) | c", ["&&", "|", ""]),
        ("a\nb", [";", ""]),
    ],
    ids=["each-operator", "group-then-pipe", "newline-is-semicolon"],
)
def test_operators(text: str, ops: list[str]) -> None:
    assert [c.op for c in commands(text)] == ops


@pytest.mark.parametrize(
    ("text", "argv", "prefixes", "assignments"),
    [
        ("sudo apt-get install x", ("apt-get", "install", "x"), ("sudo",), ()),
        ("sudo -u app -E make", ("make",), ("sudo",), ()),
        (
            "DEBIAN_FRONTEND=noninteractive apt-get install",
            ("apt-get", "install"),
            (),
            (("DEBIAN_FRONTEND", "noninteractive"),),
        ),
        ("env -i A=1 B='x y' pip install", ("pip", "install"), ("env",), (("A", "1"), ("B", "x y"))),
        ("nohup exec -a n server", ("server",), ("nohup", "exec"), ()),
        ("timeout -s KILL 10 curl x", ("curl", "x"), ("timeout",), ()),
        ("nice -n 5 make", ("make",), ("nice",), ()),
        ("A=1", (), (), (("A", "1"),)),
    ],
    ids=["sudo", "sudo-options", "assignment", "env", "nohup-exec", "timeout", "nice", "assignment-only"],
)
def test_see_through(
    text: str, argv: tuple[str, ...], prefixes: tuple[str, ...], assignments: tuple[tuple[str, str], ...]
) -> None:
    (cmd,) = commands(text)
    assert cmd.argv == argv
    assert cmd.prefixes == prefixes
    assert cmd.assignments == assignments


def test_offsets_point_into_text() -> None:
    text = "set -e && sudo apt-get  install   curl 2>&1"
    cmds = commands(text)
    apt = cmds[1]
    assert text[apt.start : apt.end] == "sudo apt-get  install   curl 2>&1"
    install = apt.words[1]
    assert text[install.start : install.end] == "install"
    assert all(text[w.start : w.end] == w.raw for c in cmds for w in (*c.prefix, *c.words))


def test_redirect_heredoc_body_attached() -> None:
    (cmd, nxt) = commands("cat <<EOF >/etc/x\nline 1\nEOF\necho done")
    assert [(r.op, r.target) for r in cmd.redirects] == [("<<", "EOF"), (">", "/etc/x")]
    assert cmd.redirects[0].body == "line 1\n"
    assert nxt.argv == ("echo", "done")


@pytest.mark.parametrize(
    ("text", "names", "value_flags", "expected"),
    [
        ("apt-get install -y x", ("-y",), "", True),
        ("apt-get install -qqy x", ("-y",), "", True),
        ("apt-get install -yq x", ("-y",), "", True),
        ("apt-get install --yes x", ("-y", "--yes"), "", True),
        ("apt-get install --assume-yes x", ("--assume-yes",), "", True),
        ("apt-get install --assume-yes=true x", ("--assume-yes",), "", True),
        ("apt-get install -q x", ("-y",), "", False),
        ("apt-get -oAPT::y=1 install x", ("-y",), "o", False),
        ("apt-get install x -- -y", ("-y",), "", False),
        ("apt-get install --yesno x", ("--yes",), "", False),
        ("pip install --no-cache-dir x", ("--no-cache-dir",), "", True),
        ("yum -qqy install x", ("-qqy",), "", True),
    ],
    ids=[
        "short",
        "cluster-end",
        "cluster-start",
        "long",
        "long-alias",
        "long-with-value",
        "absent",
        "value-flag-stops-cluster",
        "after-double-dash",
        "long-prefix-only",
        "pip",
        "exact-multi-letter",
    ],
)
def test_has_flag(text: str, names: tuple[str, ...], value_flags: str, expected: bool) -> None:
    (cmd,) = commands(text)
    assert has_flag(cmd, *names, value_flags=value_flags) is expected


def test_subcommand_skips_option_values() -> None:
    (cmd,) = commands("apt-get -o Dpkg::Options::=--force-confold -q install x")
    assert subcommand(cmd, {"-o"}) == (4, cmd.words[4])
    assert [w.text for w in operands(cmd, 5)] == ["x"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("python3 -m pip install x", ("pip", 3)),
        ("python -u -m pip install x", ("pip", 4)),
        ("/usr/local/bin/pip3.12 install x", ("pip", 1)),
        ("pipx install x", ("pipx", 1)),
        ("python3 setup.py install", ("python3", 1)),
    ],
    ids=["python-m", "python-options", "versioned-pip", "pipx", "script"],
)
def test_program(text: str, expected: tuple[str, int]) -> None:
    (cmd,) = commands(text)
    assert program(cmd) == expected


@pytest.mark.parametrize(
    ("text", "manager", "count"),
    [
        ("apt-get update && apt-get -q -o X=1 install -y a b", "apt-get", 1),
        ("apt-get update", "apt-get", 0),
        ("apk add --no-cache x", "apk", 1),
        ("pip download x && pip install x", "pip", 1),
        ("python3 -m pip install x", "pip", 1),
        ("npm ci", "npm", 0),
        ("npm i lodash", "npm", 1),
        ("go install ./... && go build", "go", 1),
        ("zypper in x", "zypper", 1),
        ("echo apt-get install x", "apt-get", 0),
    ],
    ids=[
        "apt-get",
        "apt-update",
        "apk",
        "pip-download",
        "python-m-pip",
        "npm-ci",
        "npm-i",
        "go",
        "zypper",
        "echo",
    ],
)
def test_find_install(text: str, manager: str, count: int) -> None:
    assert len(find_install(commands(text), manager)) == count


def _run(text: str, *heredocs: Heredoc) -> IRInstruction:
    return IRInstruction("RUN", args=(text,), form="shell", heredocs=heredocs)


@pytest.mark.parametrize(
    ("ins", "expected"),
    [
        (_run("<<EOF", Heredoc("EOF", "apt-get update\n")), True),
        (_run("bash <<EOF", Heredoc("EOF", "apt-get update\n")), True),
        (_run("python3 <<EOF", Heredoc("EOF", "print(1)\n")), False),
        (_run("cat <<EOF > /x", Heredoc("EOF", "apt-get update\n")), False),
        (_run("<<EOF", Heredoc("EOF", "#!/usr/bin/env python3\nprint(1)\n")), False),
        (_run("<<EOF", Heredoc("EOF", "#!/bin/bash\nset -e\n")), True),
    ],
    ids=["bare", "bash", "python", "cat-data", "python-shebang", "bash-shebang"],
)
def test_is_shell_heredoc(ins: IRInstruction, expected: bool) -> None:
    assert is_shell_heredoc(ins, ins.heredocs[0]) is expected


def test_run_commands_include_shell_heredocs_only() -> None:
    ins = _run("<<EOF\ncat <<DATA > /x", Heredoc("EOF", "apt-get update\napt-get install -y x\n"))
    cmds = run_commands(ins)
    assert [c.argv[:2] for c in cmds if c.script == 0] == [("apt-get", "update"), ("apt-get", "install")]


def test_run_commands_exec_form() -> None:
    plain = IRInstruction("RUN", args=("apt-get", "install", "-y", "x"), form="exec")
    assert [c.argv for c in run_commands(plain)] == [("apt-get", "install", "-y", "x")]
    wrapped = IRInstruction("RUN", args=("/bin/sh", "-c", "a && b"), form="exec")
    assert [c.argv for c in run_commands(wrapped)] == [("a",), ("b",)]


def test_env_before_inherits_env_from_parent_stage_not_args() -> None:
    base = IRInstruction("FROM", args=("python:3.12", "AS", "base"))
    env = IRInstruction("ENV", pairs=(KeyValue("PIP_NO_CACHE_DIR", "1"),))
    arg = IRInstruction("ARG", pairs=(KeyValue("LOCAL", "x"),))
    child = IRInstruction("FROM", args=("base", "AS", "app"))
    garg = IRInstruction("ARG", pairs=(KeyValue("GLOBAL", "g"),))
    arg2 = IRInstruction("ARG", pairs=(KeyValue("GLOBAL"),))
    run1 = _run("pip install x")
    run2 = _run("pip install y")
    df = Dockerfile(instructions=(garg, base, env, arg, run1, child, arg2, run2))
    assert env_before(df, run1) == {"PIP_NO_CACHE_DIR": "1", "LOCAL": "x"}
    assert env_before(df, run2) == {"PIP_NO_CACHE_DIR": "1", "GLOBAL": "g"}


def test_speed() -> None:
    text = " && ".join(
        f"apt-get install -y --no-install-recommends pkg{i}='1.{i}' 2>&1 | tee /log{i}" for i in range(50)
    )
    t0 = time.perf_counter()
    for i in range(200):
        commands.__wrapped__(text + str(i))
    elapsed = time.perf_counter() - t0
    assert elapsed < 2.0, elapsed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("FROM x\nRUN echo a=1 > /f\n", [("a=1", ("/f",))], id="echo-redirect"),
        pytest.param(
            "FROM x\nRUN printf 'a\\nb' | tee -a /f /g\n", [("a\nb", ("/f", "/g"))], id="printf-tee"
        ),
        pytest.param("FROM x\nRUN cat <<EOF > /f\nbody\nEOF\n", [("body\n", ("/f",))], id="cat-heredoc"),
        pytest.param(
            "FROM x\nCOPY <<EOF /etc/\nbody\nEOF\n", [("body\n", ("/etc/EOF",))], id="copy-heredoc-dir"
        ),
        pytest.param("FROM x\nRUN echo hi && echo x 2>&1\n", [], id="stdout-only"),
        pytest.param("FROM x\nRUN echo hi > /dev/null\n", [], id="dev-null"),
        pytest.param("FROM x\nRUN make > /log\n", [], id="no-text"),
    ],
)
def test_file_writes(text: str, expected: list[tuple[str, tuple[str, ...]]]) -> None:
    ins = parse_text(text).instructions[1]
    assert [(w.text, w.targets) for w in file_writes(ins)] == expected
