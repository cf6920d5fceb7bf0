"""Package-manager helpers expand to one best-practice RUN."""

from __future__ import annotations

import pytest

from dockgen import Apk, Apt, Dnf, Npm, Pip, Yum
from dockgen.lower import lower_instruction
from dockgen.render import render_instruction

APT_CLEAN = (
    "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "
    "ca-certificates curl && rm -rf /var/lib/apt/lists/*"
)


@pytest.mark.parametrize(
    ("helper", "command", "mounts"),
    [
        pytest.param(Apt(["curl", "ca-certificates"]), APT_CLEAN, [], id="apt"),
        pytest.param(
            Apt({"curl": "7.88.*", "git": None}),
            "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "
            "'curl=7.88.*' git && rm -rf /var/lib/apt/lists/*",
            [],
            id="apt-pins",
        ),
        pytest.param(
            Apt(["curl=7.88.1-10"], update=False, recommends=True),
            "DEBIAN_FRONTEND=noninteractive apt-get install -y curl=7.88.1-10 && rm -rf /var/lib/apt/lists/*",
            [],
            id="apt-pinned-word-no-update",
        ),
        pytest.param(
            Apt(["curl"], cache_mount=True),
            "rm -f /etc/apt/apt.conf.d/docker-clean && echo 'Binary::apt::APT::Keep-Downloaded-Packages "
            '"true";\' > /etc/apt/apt.conf.d/keep-cache && apt-get update && DEBIAN_FRONTEND=noninteractive '
            "apt-get install -y --no-install-recommends curl",
            [
                "type=cache,target=/var/cache/apt,sharing=locked",
                "type=cache,target=/var/lib/apt/lists,sharing=locked",
            ],
            id="apt-cache-mount",
        ),
        pytest.param(Apk(["curl", "bash"]), "apk add --no-cache bash curl", [], id="apk"),
        pytest.param(Apk({"curl": "~8.5"}), "apk add --no-cache 'curl~8.5'", [], id="apk-pin-operator"),
        pytest.param(
            Apk(["curl"], cache_mount=True),
            "apk add --update-cache curl",
            ["type=cache,target=/etc/apk/cache,sharing=locked"],
            id="apk-cache-mount",
        ),
        pytest.param(
            Pip(requirements="requirements.txt"),
            "pip install --no-cache-dir -r requirements.txt",
            [],
            id="pip-req",
        ),
        pytest.param(
            Pip({"flask": "3.0.*", "gunicorn": ">=22"}, pip="python3 -m pip", break_system_packages=True),
            "python3 -m pip install --no-cache-dir --break-system-packages 'flask==3.0.*' 'gunicorn>=22'",
            [],
            id="pip-pins",
        ),
        pytest.param(
            Pip(requirements="requirements.txt", venv="/opt/venv", cache_mount=True),
            "python3 -m venv /opt/venv && /opt/venv/bin/pip install -r requirements.txt",
            ["type=cache,target=/root/.cache/pip"],
            id="pip-venv-cache",
        ),
        pytest.param(Npm(), "npm ci --omit=dev && npm cache clean --force", [], id="npm-ci"),
        pytest.param(
            Npm(omit_dev=False, cache_mount=True), "npm ci", ["type=cache,target=/root/.npm"], id="npm-cache"
        ),
        pytest.param(
            Npm({"typescript": "5.4.5"}),
            "npm install --global typescript@5.4.5 && npm cache clean --force",
            [],
            id="npm-global",
        ),
        pytest.param(
            Dnf(["curl"]),
            "dnf install -y --setopt=install_weak_deps=False curl && dnf clean all",
            [],
            id="dnf",
        ),
        pytest.param(
            Yum({"curl": "7.76.1"}), "yum install -y curl-7.76.1 && yum clean all", [], id="yum-pin"
        ),
        pytest.param(
            Dnf(["curl"], cache_mount=True),
            "dnf install -y --setopt=install_weak_deps=False --setopt=keepcache=1 curl",
            ["type=cache,target=/var/cache/dnf,sharing=locked"],
            id="dnf-cache",
        ),
    ],
)
def test_helper_expansion(helper: object, command: str, mounts: list[str]) -> None:
    (ins,) = lower_instruction(helper)
    assert ins.keyword == "RUN"
    assert ins.args == (command,)
    assert ins.flag_values("mount") == mounts


def test_helper_is_one_layer_and_sorted() -> None:
    a = lower_instruction(Apt(["b", "a"]))
    b = lower_instruction(Apt(["a", "b"]))
    assert a == b
    assert len(a) == 1
    assert render_instruction(a[0]).splitlines()[0] == "RUN apt-get update \\"
