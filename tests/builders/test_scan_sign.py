"""``build --push --scan --sign``: Trivy scans the pushed content by digest before any tag is added; cosign
signs the digest after the tags are published.

Uses the stand-in ``trivy``/``cosign`` of tests/lifecycle/fakes.py (the real tools cannot be installed on
the test machines): this checks dockgen's side -- what is called, with which reference, in which order, and
what a failed gate does.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from dockgen.cli import main
from tests.lifecycle.fakes import calls, install
from tests.support.infra import PLAIN_REGISTRY, require_buildx, require_engine, require_registry, unique_repo

pytestmark = [pytest.mark.docker, pytest.mark.buildx, pytest.mark.registry]

DATA = Path(__file__).resolve().parent.parent / "lifecycle" / "data"

BUILD_FILE = """\
from dockgen.models import Copy, Image, Stage

svc = Image("svc", registry="{reg}", namespace="{ns}", version="1.0.0",
            stages=[Stage(base="busybox", steps=[Copy("data.txt", "/data.txt")])])
images = [svc]
"""


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, Path]:
    """(build file, tool log, cosign key) with fake trivy + cosign first on PATH."""
    require_engine()
    require_buildx()
    require_registry(PLAIN_REGISTRY)
    (tmp_path / "data.txt").write_text("data\n")
    build_file = tmp_path / "build_images.py"
    build_file.write_text(BUILD_FILE.format(reg=PLAIN_REGISTRY, ns=unique_repo("scan")))
    bin_dir = tmp_path / "bin"
    install(bin_dir, "trivy")
    install(bin_dir, "cosign")
    log = tmp_path / "tools.log"
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_LOG", str(log))
    monkeypatch.setenv("COSIGN_PASSWORD", "key-pass-never-shown")
    key = tmp_path / "cosign.key"
    key.write_text(
        "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nx\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n"
    )
    return build_file, log, key


def test_clean_scan_then_sign_by_digest(
    setup: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    build_file, log, key = setup
    monkeypatch.setenv("FAKE_TRIVY_REPORT", str(DATA / "trivy-report-clean.json"))
    argv = ["-f", str(build_file), "build", "--push", "--json", "--scan", "--sign", "--sign-key", str(key)]
    assert main(argv=argv) == 0, capsys.readouterr().err
    captured = capsys.readouterr()
    (image,) = json.loads(captured.out)["images"]
    pushed = f"{image['references'][0].rsplit(':', 1)[0]}@{image['digest']}"
    assert image["scan"]["failed"] is False and image["signed"] == [pushed]
    trivy, cosign = calls(log)
    assert trivy["argv"][0] == "image" and trivy["argv"][-1] == pushed
    assert cosign["argv"][:2] == ["sign", "--yes"] and cosign["argv"][-1] == pushed
    assert cosign["password_in_env"] is True
    assert "key-pass-never-shown" not in captured.out + captured.err


def test_failed_gate_exits_1_and_does_not_sign(
    setup: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    build_file, log, key = setup
    monkeypatch.setenv("FAKE_TRIVY_REPORT", str(DATA / "trivy-report.json"))
    argv = ["-f", str(build_file), "build", "--push", "--scan", "--scan-severity", "critical", "--sign"]
    monkeypatch.setenv("COSIGN_KEY", str(key))
    assert main(argv=argv) == 1
    err = capsys.readouterr().err
    assert "gate: FAILED (threshold CRITICAL" in err and "scan gate failed" in err
    assert "no tag was published" in err
    assert [c["argv"][0] for c in calls(log)] == ["image"]  # trivy ran, cosign did not
    # the gate ran before tagging: no version tag exists, only dockgen's internal content tag
    from dockgen.registry import list_tags

    scanned = calls(log)[0]["argv"][-1]
    repo = scanned.split("@", 1)[0]
    tags = list_tags(repo)
    assert tags and all(t.startswith("content-") for t in tags), tags
    # a second run (content now cached in the registry) is gated too: still no version tag
    assert main(argv=argv) == 1
    assert all(t.startswith("content-") for t in list_tags(repo))


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--sign"], "--sign needs --push"),
        (["--push", "--sign"], "--sign needs a key"),
        (["--scan", "--scan-severity", "urgent"], "urgent"),
    ],
    ids=["sign-without-push", "sign-without-key", "bad-severity"],
)
def test_usage_errors_before_building(
    setup: tuple[Path, Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    build_file, log, _key = setup
    monkeypatch.delenv("COSIGN_KEY", raising=False)
    assert main(argv=["-f", str(build_file), "build", *extra]) != 0
    assert message in capsys.readouterr().err
    assert calls(log) == []
