from __future__ import annotations

import pytest
from _helpers_b import lines, run
from dockgen_rules.dg152_unauthenticated_packages import UnauthenticatedPackages

CATCHES = [
    "apk add --allow-untrusted /tmp/x.apk",
    "apt-get install -y --allow-unauthenticated curl",
    "apt-get install -y --force-yes curl",
    "apt-get update --allow-insecure-repositories",
    "apt-get -o APT::Get::AllowUnauthenticated=true install -y curl",
    "echo 'deb [trusted=yes] http://repo.internal stable main' > /etc/apt/sources.list.d/x.list",
    "yum install -y --nogpgcheck httpd",
    "dnf --setopt=gpgcheck=0 install -y httpd",
    "microdnf install --nogpgcheck x",
    "rpm -i --nosignature /tmp/x.rpm",
    "zypper --no-gpg-checks install -y x",
    "printf '[x]\\ngpgcheck=0\\n' > /etc/yum.repos.d/x.repo",
]
CLEAN = [
    "apk add --no-cache curl",
    "apt-get install -y --no-install-recommends curl",
    "yum install -y httpd",
    "rpm --import https://x/key && rpm -i /tmp/x.rpm",
    "echo 'deb [signed-by=/k.gpg] http://repo stable main' > /etc/apt/sources.list.d/x.list",
    "printf 'gpgcheck=1\\n' > /etc/yum.repos.d/x.repo",
]


@pytest.mark.parametrize("command", CATCHES)
def test_catches(command: str) -> None:
    assert lines(run(UnauthenticatedPackages, f"FROM a\nRUN {command}\n")) == [2]


@pytest.mark.parametrize("command", CLEAN)
def test_does_not_catch(command: str) -> None:
    assert run(UnauthenticatedPackages, f"FROM a\nRUN {command}\n") == []
