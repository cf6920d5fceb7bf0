"""``dockgen completion bash|zsh|fish``: the generated scripts complete commands, options, option choices
and positional choices in the real shells (bash here; zsh and fish in a debian:bookworm container, where
they are installed from Debian's archive)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.support import infra

ROOT = Path(__file__).resolve().parents[1]


def script(shell: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    res = subprocess.run(
        [sys.executable, "-m", "dockgen", "completion", shell],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert res.returncode == 0, res.stderr
    return res.stdout


def bash_complete(tmp_path: Path, *words: str) -> list[str]:
    path = tmp_path / "dockgen.bash"
    path.write_text(script("bash"), encoding="utf-8")
    quoted = " ".join(f"'{w}'" for w in words)
    probe = f'source {path}; COMP_WORDS=({quoted}); COMP_CWORD={len(words) - 1}; _dockgen; printf "%s\\n" "${{COMPREPLY[@]}}"'
    res = subprocess.run(["bash", "--norc", "-c", probe], capture_output=True, text=True, timeout=30)
    assert res.returncode == 0, res.stderr
    return [w for w in res.stdout.splitlines() if w]


def test_bash_completes_commands_options_and_choices(tmp_path: Path) -> None:
    assert bash_complete(tmp_path, "dockgen", "ren") == ["render"]
    assert set(bash_complete(tmp_path, "dockgen", "l")) == {"lint", "login"}
    assert "--fix" in bash_complete(tmp_path, "dockgen", "lint", "--f")
    assert "--push" not in bash_complete(tmp_path, "dockgen", "lint", "--")  # only lint's own options
    assert bash_complete(tmp_path, "dockgen", "lint", "--format", "sa") == ["sarif"]
    assert bash_complete(tmp_path, "dockgen", "rules", "--format", "") == ["text", "json"]
    assert bash_complete(tmp_path, "dockgen", "-f", "x.py", "plan", "--off") == ["--offline"]
    assert bash_complete(tmp_path, "dockgen", "completion", "") == ["bash", "zsh", "fish"]
    assert bash_complete(tmp_path, "dockgen", "lint", "Dock") == []  # left to bash's file completion
    registered = subprocess.run(
        ["bash", "--norc", "-c", f"source {tmp_path / 'dockgen.bash'}; complete -p dockgen"],
        capture_output=True,
        text=True,
    )
    assert registered.stdout.strip() == "complete -o default -F _dockgen dockgen"


def test_unknown_shell_is_a_usage_error() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    res = subprocess.run(
        [sys.executable, "-m", "dockgen", "completion", "tcsh"], capture_output=True, text=True, env=env
    )
    assert res.returncode == 2 and "hint: run `dockgen completion --help`" in res.stderr


_SHELLS_SCRIPT = r"""
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq && apt-get install -y -qq --no-install-recommends zsh fish >/dev/null
echo "== fish"
fish -c 'source /c/dockgen.fish; complete -C"dockgen ren"; complete -C"dockgen lint --form"; complete -C"dockgen lint --format sa"; complete -C"dockgen completion "'
echo "== zsh"
zsh -f -c '
autoload -U compinit && compinit -u
source /c/dockgen.zsh
print -r -- "registered: ${_comps[dockgen]}"
compadd() { shift $(( ${@[(i)--]} )); print -r -- "compadd: $*"; }
_describe() { print -r -- "describe: ${(P)2}"; }
_files() { print -r -- "files"; }
words=(dockgen lint --form); CURRENT=3; _dockgen
words=(dockgen lint --format ""); CURRENT=4; _dockgen
words=(dockgen ""); CURRENT=2; _dockgen
words=(dockgen completion ""); CURRENT=3; _dockgen
words=(dockgen lint Dock); CURRENT=3; _dockgen
'
"""


@pytest.mark.docker
@pytest.mark.slow
def test_zsh_and_fish_scripts_in_their_shells(tmp_path: Path) -> None:
    infra.require_engine()
    (tmp_path / "dockgen.zsh").write_text(script("zsh"), encoding="utf-8")
    (tmp_path / "dockgen.fish").write_text(script("fish"), encoding="utf-8")
    name = f"dockgen-completion-test-{uuid.uuid4().hex[:8]}"
    try:
        res = subprocess.run(
            [
                "docker",
                "run",
                "--rm",
                "--name",
                name,
                "-v",
                f"{tmp_path}:/c:ro",
                "debian:bookworm",
                "bash",
                "-c",
                _SHELLS_SCRIPT,
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
    finally:
        subprocess.run(["docker", "rm", "-f", name], capture_output=True)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    fish, zsh = res.stdout.split("== zsh\n")
    fish_lines = [line.split("\t")[0] for line in fish.splitlines()[1:]]
    assert "render" in fish_lines
    assert "--format" in fish_lines
    assert "sarif" in fish_lines
    assert {"bash", "zsh", "fish"} <= set(fish_lines)
    assert "registered: _dockgen" in zsh
    assert "compadd: " in zsh and "--format" in zsh.split("compadd: ")[1].split()
    assert "compadd: checkstyle github gitlab json junit sarif text" in zsh
    assert "describe: build:" in zsh
    assert "compadd: bash zsh fish" in zsh
    assert zsh.rstrip().endswith("files")
