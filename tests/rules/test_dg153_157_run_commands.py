from __future__ import annotations

import pytest
from _helpers_b import fixed, lines, run
from dockgen_rules.dg153_chpasswd import Chpasswd
from dockgen_rules.dg154_useradd_without_no_log_init import UseraddWithoutNoLogInit
from dockgen_rules.dg155_sudo import Sudo
from dockgen_rules.dg156_pointless_command import PointlessCommand
from dockgen_rules.dg157_shell_replaced_by_symlink import ShellReplacedBySymlink

from dockgen.lint.rule import Rule

CATCHES = [
    pytest.param(Chpasswd, "echo 'root:x' | chpasswd", id="chpasswd"),
    pytest.param(Chpasswd, "chpasswd < /tmp/pw", id="chpasswd-redirect"),
    pytest.param(UseraddWithoutNoLogInit, "useradd -u 1000000 app", id="useradd-u"),
    pytest.param(UseraddWithoutNoLogInit, "useradd --uid=2000000 -m app", id="useradd-uid-eq"),
    pytest.param(UseraddWithoutNoLogInit, "groupadd g && useradd -g g -u123456 app", id="useradd-attached"),
    pytest.param(Sudo, "sudo apt-get update", id="sudo"),
    pytest.param(Sudo, "sudo -u app make install", id="sudo-u"),
    pytest.param(Sudo, "make && doas make install", id="doas"),
    pytest.param(PointlessCommand, "service nginx start", id="service"),
    pytest.param(PointlessCommand, "apt-get install -y vim && vim /etc/x", id="vim"),
    pytest.param(PointlessCommand, "ps aux", id="ps"),
    pytest.param(PointlessCommand, "ssh git@example.com", id="ssh"),
    pytest.param(PointlessCommand, "mount -t tmpfs none /mnt", id="mount"),
    pytest.param(ShellReplacedBySymlink, "ln -sf /bin/bash /bin/sh", id="ln-sf"),
    pytest.param(ShellReplacedBySymlink, "ln -s -f bash /usr/bin/sh", id="ln-s-f"),
]
CLEAN = [
    pytest.param(Chpasswd, "useradd app", id="no-chpasswd"),
    pytest.param(UseraddWithoutNoLogInit, "useradd -l -u 1000000 app", id="with-l"),
    pytest.param(UseraddWithoutNoLogInit, "useradd --no-log-init --uid 1000000 app", id="with-no-log-init"),
    pytest.param(UseraddWithoutNoLogInit, "useradd -u 10001 app", id="small-uid"),
    pytest.param(UseraddWithoutNoLogInit, "useradd app", id="no-uid"),
    pytest.param(Sudo, "apt-get install -y sudo", id="installing-sudo"),
    pytest.param(Sudo, "echo sudo", id="word-sudo"),
    pytest.param(PointlessCommand, "apt-get install -y vim procps", id="installing"),
    pytest.param(PointlessCommand, "ssh-keyscan github.com >> /etc/ssh/ssh_known_hosts", id="ssh-keyscan"),
    pytest.param(PointlessCommand, "echo top", id="word-top"),
    pytest.param(ShellReplacedBySymlink, "ln -s /opt/app/bin/app /usr/local/bin/app", id="other-ln"),
    pytest.param(ShellReplacedBySymlink, "ln /bin/bash /bin/sh2", id="not-sh"),
]


@pytest.mark.parametrize(("rule", "command"), CATCHES)
def test_catches(rule: type[Rule], command: str) -> None:
    assert lines(run(rule, f"FROM a\nRUN {command}\n")) == [2]


@pytest.mark.parametrize(("rule", "command"), CLEAN)
def test_does_not_catch(rule: type[Rule], command: str) -> None:
    assert run(rule, f"FROM a\nRUN {command}\n") == []


def test_ssh_with_an_ssh_mount_is_fine() -> None:
    text = "FROM a\nRUN --mount=type=ssh ssh -T git@github.com || true\n"
    assert run(PointlessCommand, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "FROM a\nRUN useradd -u 1000000 a && useradd -u 1000001 b\n",
            "FROM a\nRUN useradd -l -u 1000000 a && useradd -l -u 1000001 b\n",
            id="two",
        ),
        pytest.param(
            "FROM a\nRUN groupadd g \\\n    && useradd -u 1000000 app\n",
            "FROM a\nRUN groupadd g \\\n    && useradd -l -u 1000000 app\n",
            id="keeps-layout",
        ),
    ],
)
def test_useradd_fix(text: str, expected: str) -> None:
    assert fixed(UseraddWithoutNoLogInit, text) == expected


def test_useradd_in_heredoc_has_no_fix() -> None:
    (finding,) = run(UseraddWithoutNoLogInit, "FROM a\nRUN <<EOF\nuseradd -u 1000000 app\nEOF\n")
    assert finding.fix is None
