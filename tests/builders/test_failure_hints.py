"""The hint of a failed build matches where it failed: a TLS error inside a RUN is not a registry problem."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from dockgen.builders.backend import LogTail
from dockgen.builders.buildx import _hint
from tests.support.infra import require_engine

# BuildKit's plain progress output of a pip install that fails certificate verification inside a RUN
PIP_SSL = [
    "#7 [3/4] RUN pip install --no-cache-dir flask==3.0.3",
    "#7 2.113 WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after "
    "connection broken by 'SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate "
    "verify failed: unable to get local issuer certificate (_ssl.c:1006)'))': /simple/flask/",
    '#7 ERROR: process "/bin/sh -c pip install --no-cache-dir flask==3.0.3" did not complete successfully: '
    "exit code: 1",
    'ERROR: failed to solve: process "/bin/sh -c pip install --no-cache-dir flask==3.0.3" did not complete '
    "successfully: exit code: 1",
]

# a pull from a registry whose certificate the engine does not trust
REGISTRY_X509 = [
    "#2 [internal] load metadata for registry.example.com:5443/base:1",
    '#2 ERROR: failed to do request: Head "https://registry.example.com:5443/v2/base/manifests/1": '
    "tls: failed to verify certificate: x509: certificate signed by unknown authority",
    "ERROR: failed to solve: registry.example.com:5443/base:1: failed to resolve source metadata: x509: "
    "certificate signed by unknown authority",
]


def _tail(lines: list[str]) -> LogTail:
    tail = LogTail()
    for line in lines:
        tail.add(line)
    return tail


def test_tls_failure_inside_run_points_at_the_image_not_the_registry() -> None:
    hint = _hint(_tail(PIP_SSL))
    assert hint is not None
    assert "inside RUN" in hint and "certs.d" not in hint


def test_registry_tls_failure_points_at_the_engine_ca() -> None:
    hint = _hint(_tail(REGISTRY_X509))
    assert hint is not None and "/etc/docker/certs.d/" in hint


def test_other_run_failures_get_no_misleading_hint() -> None:
    lines = [
        "#5 [2/2] RUN make",
        "#5 0.2 make: *** No targets specified and no makefile found.  Stop.",
        '#5 ERROR: process "/bin/sh -c make" did not complete successfully: exit code: 2',
        "ERROR: failed to solve: unauthorized-looking text is not a login problem here",
    ]
    assert _hint(_tail(lines)) is None


BUILD_FILE = """\
from dockgen import Image, Run, Stage

images = [
    Image(
        "{name}",
        version="1.0.0",
        stages=[
            Stage(
                "app",
                base="busybox",
                steps=[
                    Run("sh -c 'exit 3'"),  # line 12
                ],
            )
        ],
    ),
]
"""


@pytest.mark.docker
def test_build_error_names_image_step_and_declaration_line(tmp_path: Path) -> None:
    """A failing RUN of a declared image: the error names the image, the step, the rendered Dockerfile's
    line and the line of the step in build_images.py."""
    require_engine()
    name = f"dockgen-failing-{uuid.uuid4().hex[:8]}"
    (tmp_path / "build_images.py").write_text(BUILD_FILE.format(name=name))
    run = subprocess.run(
        [sys.executable, "-m", "dockgen", "build"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 1, run.stderr
    assert f"error: image '{name}': build failed at step [2/2] RUN sh -c 'exit 3'" in run.stderr
    assert "declared at build_images.py:12)" in run.stderr
    assert "Traceback" not in run.stderr
