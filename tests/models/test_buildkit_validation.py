"""Declarations refuse the values BuildKit refuses, with a located message, and accept what it accepts.

Each case is checked twice: the declaration (in-process) and the same instruction written by hand, built by
the real engine (``docker build -o type=cacheonly``: the Dockerfile frontend parses and converts it, nothing
is exported). So the table cannot drift from what BuildKit does.
"""

from __future__ import annotations

import re
import subprocess
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import dockgen
from dockgen.errors import DeclarationError
from tests.support import infra

# (id, Dockerfile line after `FROM busybox:1.35`, the declaration, accepted?, part of the message)
CASES: list[tuple[str, str, Callable[[], Any], bool, str]] = [
    (
        "expose-word",
        "EXPOSE eighty",
        lambda: dockgen.Expose("eighty"),
        False,
        "'eighty' is not a port number",
    ),
    ("expose-too-big", "EXPOSE 70000", lambda: dockgen.Expose("70000"), False, "outside 0..65535"),
    ("expose-int-too-big", "EXPOSE 70000", lambda: dockgen.Expose(70000), False, "outside 1..65535"),
    ("expose-backwards", "EXPOSE 90-80", lambda: dockgen.Expose("90-80"), False, "runs backwards"),
    ("expose-proto", "EXPOSE 80/tcpx", lambda: dockgen.Expose("80/tcpx"), False, "protocol 'tcpx'"),
    (
        "expose-ok",
        "EXPOSE 80 443/tcp 53/UDP 8000-8010",
        lambda: dockgen.Expose([80, "443/tcp", "53/UDP", "8000-8010"]),
        True,
        "",
    ),
    (
        "signal-name",
        "STOPSIGNAL SIGFOO",
        lambda: dockgen.StopSignal("SIGFOO"),
        False,
        "'SIGFOO' is not a signal",
    ),
    ("signal-zero", "STOPSIGNAL 0", lambda: dockgen.StopSignal("0"), False, "signal 0"),
    ("signal-ok", "STOPSIGNAL SIGRTMIN+3", lambda: dockgen.StopSignal("SIGRTMIN+3"), True, ""),
    ("signal-short", "STOPSIGNAL quit", lambda: dockgen.StopSignal("quit"), True, ""),
    (
        "duration-short",
        "HEALTHCHECK --interval=10us CMD true",
        lambda: dockgen.Healthcheck(["true"], interval="10us"),
        False,
        "shorter than 1ms",
    ),
    (
        "duration-word",
        "HEALTHCHECK --timeout=soon CMD true",
        lambda: dockgen.Healthcheck(["true"], timeout="soon"),
        False,
        "'soon' is not a duration",
    ),
    (
        "duration-ok",
        "HEALTHCHECK --interval=1m30s --timeout=1.5s --start-period=0 CMD true",
        lambda: dockgen.Healthcheck(["true"], interval="1m30s", timeout="1.5s", start_period="0"),
        True,
        "",
    ),
    (
        "mount-mode",
        "RUN --mount=type=cache,target=/x,mode=999 true",
        lambda: dockgen.Run("true", mounts=[dockgen.CacheMount("/x", mode="999")]),
        False,
        "mode '999' must be octal",
    ),
    (
        "mount-string-mode",
        "RUN --mount=type=cache,target=/x,mode=999 true",
        lambda: dockgen.Run("true", mounts=["type=cache,target=/x,mode=999"]),
        False,
        "mode '999' must be octal",
    ),
    (
        "mount-uid",
        "RUN --mount=type=cache,target=/x,uid=-1 true",
        lambda: dockgen.Run("true", mounts=[dockgen.CacheMount("/x", uid=-1)]),
        False,
        "-1 must be a non-negative number",
    ),
    (
        "mount-size",
        "RUN --mount=type=tmpfs,target=/t,size=lots true",
        lambda: dockgen.Run("true", mounts=[dockgen.TmpfsMount("/t", size="lots")]),
        False,
        "size 'lots'",
    ),
    (
        "mount-sharing",
        "RUN --mount=type=cache,target=/x,sharing=lockd true",
        lambda: dockgen.Run("true", mounts=["type=cache,target=/x,sharing=lockd"]),
        False,
        "sharing must be shared, private or locked",
    ),
    (
        "mount-ok",
        "RUN --mount=type=cache,target=/x,mode=0755,uid=1000,sharing=locked --mount=type=tmpfs,target=/t,size=64m true",
        lambda: dockgen.Run(
            "true",
            mounts=[
                dockgen.CacheMount("/x", mode="0755", uid=1000, sharing="locked"),
                "type=tmpfs,target=/t,size=64m",
            ],
        ),
        True,
        "",
    ),
    (
        "chmod-ok",
        "COPY --chmod=0755 Dockerfile /x",
        lambda: dockgen.Copy(["Dockerfile"], "/x", chmod="0755"),
        True,
        "",
    ),
    (
        "chmod-symbolic-ok",
        "COPY --chmod=u+x,go-w Dockerfile /x",
        lambda: dockgen.Copy(["Dockerfile"], "/x", chmod="u+x,go-w"),
        True,
        "",
    ),
    (
        "platform",
        "FROM --platform=linux/amd46 busybox:1.35",
        lambda: dockgen.Stage(base="busybox:1.35", platform="linux/amd46"),
        False,
        "unknown architecture 'amd46'",
    ),
]

# Values BuildKit lets through at build time that still cannot work: dockgen refuses them earlier.
STRICTER: list[tuple[str, Callable[[], Any], str]] = [
    ("user-blank", lambda: dockgen.User("app user"), "must be 'user' or 'user:group'"),
    ("user-empty-group", lambda: dockgen.User("app:"), "must be 'user' or 'user:group'"),
    ("chown-blank", lambda: dockgen.Copy(["a"], "/b", chown="a b"), "chown 'a b'"),
    ("chmod-symbolic-junk", lambda: dockgen.Copy(["a"], "/b", chmod="u+q"), "chmod 'u+q'"),
    ("chmod-too-big", lambda: dockgen.Copy(["a"], "/b", chmod="17777"), "larger than 7777"),
    (
        "mount-unknown-key",
        lambda: dockgen.Run("true", mounts=["type=cache,target=/x,colour=red"]),
        "'colour'",
    ),
    (
        "image-platform",
        lambda: dockgen.Image(
            name="a", platforms=["linux/amd64", "linx/arm64"], stages=[dockgen.Stage(base="busybox:1.35")]
        ),
        "unknown operating system 'linx'",
    ),
]


@pytest.mark.parametrize(
    ("line", "declare", "ok", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_declaration_agrees_with_buildkit_in_process(
    line: str, declare: Callable[[], Any], ok: bool, message: str
) -> None:
    if ok:
        declare()
        return
    with pytest.raises(DeclarationError) as info:
        declare()
    text = str(info.value)
    assert message in text
    assert re.match(r"\S*test_buildkit_validation\.py:\d+: ", text), text  # located at the declaration


@pytest.mark.parametrize(("declare", "message"), [c[1:] for c in STRICTER], ids=[c[0] for c in STRICTER])
def test_values_that_cannot_work_are_refused(declare: Callable[[], Any], message: str) -> None:
    with pytest.raises(DeclarationError) as info:
        declare()
    assert message in str(info.value)


def test_variables_are_left_to_the_build() -> None:
    dockgen.Expose("$PORT")
    dockgen.StopSignal("${STOP_SIGNAL}")
    dockgen.Stage(base="golang:1.22", platform="$BUILDPLATFORM")
    dockgen.User("${APP_UID}:${APP_GID}")


@pytest.mark.docker
@pytest.mark.slow
def test_buildkit_decides_the_same(tmp_path: Path) -> None:
    infra.require_engine()
    disagree = []
    for case_id, line, _, ok, _ in CASES:
        context = tmp_path / case_id
        context.mkdir()
        text = f"{line}\n" if line.startswith("FROM") else f"FROM busybox:1.35\n{line}\n"
        (context / "Dockerfile").write_text(text, encoding="utf-8")
        res = subprocess.run(
            [
                "docker",
                "build",
                "-q",
                "-o",
                "type=cacheonly",
                "--build-arg",
                f"NONCE={uuid.uuid4().hex}",
                str(context),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if (res.returncode == 0) != ok:
            disagree.append((case_id, res.returncode, res.stderr.strip().splitlines()[-1:]))
    assert not disagree, disagree
