"""Image checks on the real engine: every kind of check passes and fails with a message naming the check,
the image, what was expected and what was seen; ``dockgen test`` runs them on local builds and writes JUnit;
``build --push`` runs them as a gate before any tag is published."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from dockgen.cli import main
from dockgen.errors import DeclarationError
from dockgen.models import CommandCheck, FileCheck, MetadataCheck, PortCheck
from tests.support.infra import PLAIN_REGISTRY, require_buildx, require_engine, require_registry, unique_repo

BUILD_FILE = """\
from dockgen import Cmd, CommandCheck, Copy, Expose, FileCheck, Image, Label, MetadataCheck, PortCheck, Run
from dockgen import Stage, UserCheck

web = Image(
    "web", registry="{reg}", namespace="{ns}", version="1.0.0",
    stages=[Stage(base="busybox", user="{user}", steps=[
        Copy("www", "/www", chown="1000:1000"),
        Run("chmod 0750 /www"),
        Expose(8080),
        Label({{"org.example.team": "checks"}}),
        Cmd(["httpd", "-f", "-p", "8080", "-h", "/www"]),
    ])],
    checks=[
        CommandCheck(["cat", "/www/index.html"], stdout=r"^hello$"),
        CommandCheck("exit 3", exit_code=3, name="exit code"),
        FileCheck("/www", type="directory", mode="0750", owner="1000"),
        FileCheck("/usr/bin/gcc", exists=False),
        UserCheck(),
        PortCheck(8080, timeout=20, http_path="/index.html"),
        MetadataCheck(labels={{"org.example.team": "^checks$"}}, exposed_ports=["8080/tcp"], cmd=[
            "httpd", "-f", "-p", "8080", "-h", "/www"]),
    ],
)
images = [web]
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    require_engine()
    (tmp_path / "www").mkdir()
    (tmp_path / "www" / "index.html").write_text("hello\n")
    return tmp_path


def write(project: Path, user: str = "1000") -> tuple[Path, str]:
    ns = unique_repo("checks")
    (project / "build_images.py").write_text(BUILD_FILE.format(reg=PLAIN_REGISTRY, ns=ns, user=user))
    return project / "build_images.py", f"{PLAIN_REGISTRY}/{ns}/web"


@pytest.mark.docker
@pytest.mark.buildx
def test_all_kinds_pass_on_a_good_image(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    require_buildx()
    build_file, _repo = write(project)
    junit = project / "checks.xml"
    code = main(argv=["-f", str(build_file), "test", "--build", "--junit", str(junit)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.count("PASS web") == 7 and "7 passed, 0 failed" in out
    suite = ET.parse(junit).getroot()
    assert suite.get("tests") == "7" and suite.get("failures") == "0"
    names = [c.get("name") for c in suite.iter("testcase")]
    assert "file: /usr/bin/gcc absent" in names and "port: 8080 GET /index.html" in names


@pytest.mark.docker
@pytest.mark.buildx
def test_root_image_fails_user_and_port_checks_with_expected_and_seen(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Running as root, httpd still serves; so break it: the root image and a wrong check set."""
    require_buildx()
    build_file, _repo = write(project, user="0")
    junit = project / "checks.xml"
    code = main(argv=["-f", str(build_file), "test", "--build", "--json", "--junit", str(junit)])
    assert code == 1
    rows = {r["check"]: r for r in json.loads(capsys.readouterr().out)}
    user = rows["user: not root"]
    assert user["passed"] is False and user["image"] == "web"
    assert user["expected"] == "a user other than root" and user["seen"] == "user 0 (uid 0)"
    assert all(r["passed"] for name, r in rows.items() if name != "user: not root")
    failure = ET.parse(junit).getroot().find(".//testcase[@name='user: not root']/failure")
    assert failure is not None and "uid 0" in (failure.get("message") or "")


@pytest.mark.docker
def test_failures_name_check_expected_and_seen(project: Path) -> None:
    """Each kind of check, wrong on purpose, against busybox itself."""
    from dockgen.imagetest import ImageUnderTest, run_checks

    checks = [
        CommandCheck(["busybox", "echo", "1.36"], stdout=r"^3\.11"),
        CommandCheck(["/no/such/binary"]),
        FileCheck("/bin/busybox", exists=False),
        FileCheck("/bin", mode="0700", owner="nobody"),
        FileCheck("/etc/nothing-here"),
        PortCheck(9999, timeout=1),
        MetadataCheck(labels={"missing": ""}, exposed_ports=["80"], entrypoint=["/x"]),
    ]
    results = run_checks(ImageUnderTest("busybox:latest", "bb"), checks)
    seen = {r.check: (r.passed, r.expected, r.seen) for r in results}
    assert seen["command: busybox echo 1.36"] == (False, "stdout matching '^3\\\\.11'", "stdout '1.36'")
    ok, expected, what = seen["command: /no/such/binary"]
    assert not ok and expected == "exit code 0" and "exit code 127" in what
    assert seen["file: /bin/busybox absent"] == (False, "/bin/busybox absent", "a file at /bin/busybox")
    ok, expected, what = seen["file: /bin present"]
    assert not ok and expected == "/bin: mode 0700, owner nobody" and what == "mode 0755, owner root (id 0)"
    assert seen["file: /etc/nothing-here present"][2] == "no /etc/nothing-here in the image"
    ok, expected, what = seen["port: 9999"]
    assert not ok and "within 1s" in expected and "exited" in what  # busybox's sh exits at once
    ok, expected, what = seen["metadata"]
    assert not ok and "label missing" in expected and "exposed 80/tcp" in expected and '["/x"]' in expected
    assert "no label missing" in what and "exposed nothing" in what


def test_bad_declarations_are_clear_errors() -> None:
    with pytest.raises(DeclarationError, match="not a valid regular expression"):
        CommandCheck(["true"], stdout="(")
    with pytest.raises(DeclarationError, match="absolute path"):
        FileCheck("etc/passwd")
    with pytest.raises(DeclarationError, match="octal"):
        FileCheck("/etc/passwd", mode="rwx")
    with pytest.raises(DeclarationError, match="8080/tcp"):
        MetadataCheck(exposed_ports=["http"])


@pytest.mark.docker
@pytest.mark.buildx
@pytest.mark.registry
def test_push_gate_publishes_no_tag_when_a_check_fails(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    require_buildx()
    require_registry(PLAIN_REGISTRY)
    from dockgen.registry import list_tags

    build_file, repo = write(project, user="0")
    junit = project / "gate.xml"
    assert main(argv=["-f", str(build_file), "build", "--push", "--junit", str(junit)]) == 1
    err = capsys.readouterr().err
    assert "image 'web': 1 of 7 image checks failed" in err and "no tag was published" in err
    assert "[user: not root] expected a user other than root, saw user 0 (uid 0)" in err
    assert all(t.startswith("content-") for t in list_tags(repo)), list_tags(repo)
    assert ET.parse(junit).getroot().get("failures") == "1"
    # --no-test publishes anyway (an explicit decision)
    assert main(argv=["-f", str(build_file), "build", "--push", "--no-test"]) == 0
    assert {"1.0.0", "latest"} <= set(list_tags(repo))


@pytest.mark.docker
@pytest.mark.buildx
@pytest.mark.registry
def test_push_gate_passes_then_tags(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    require_buildx()
    require_registry(PLAIN_REGISTRY)
    from dockgen.registry import list_tags

    build_file, repo = write(project)
    assert main(argv=["-f", str(build_file), "build", "--push", "-q"]) == 0, capsys.readouterr().err
    assert "running 7 image checks on " + repo + "@sha256:" in capsys.readouterr().err
    assert {"1.0.0", "1.0", "1", "latest"} <= set(list_tags(repo))


@pytest.mark.docker
def test_unbuilt_image_and_no_checks_are_clear(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build_file, _repo = write(project)
    assert main(argv=["-f", str(build_file), "test"]) == 1
    err = capsys.readouterr().err
    assert "is not on the local engine" in err and "dockgen test --build" in err and "Traceback" not in err
    (project / "plain.py").write_text(
        "from dockgen import Image, Stage\nimages = [Image('plain', stages=[Stage(base='busybox')])]\n"
    )
    assert main(argv=["-f", str(project / "plain.py"), "test"]) == 0
    assert "no image declares checks" in capsys.readouterr().err
    assert main(argv=["-f", str(build_file), "test", "--reference", "nope"]) == 2
    assert "expected NAME=IMAGE" in capsys.readouterr().err


@pytest.mark.docker
def test_reference_override_tests_another_image(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """busybox itself, tested against the web image's checks: the file and user checks fail, with reasons."""
    build_file, _repo = write(project)
    assert main(argv=["-f", str(build_file), "test", "--reference", "web=busybox:latest", "--json"]) == 1
    rows = {r["check"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["file: /www present"]["seen"] == "no /www in the image"
    assert rows["user: not root"]["seen"] == "user root (no USER) (uid 0)"
    assert rows["file: /usr/bin/gcc absent"]["passed"] is True
    assert {r["reference"] for r in rows.values()} == {"busybox:latest"}


@pytest.mark.docker
@pytest.mark.buildx
@pytest.mark.registry
def test_atomic_push_gate_blocks_every_tag(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    require_buildx()
    require_registry(PLAIN_REGISTRY)
    from dockgen.registry import list_tags

    build_file, repo = write(project, user="0")
    assert main(argv=["-f", str(build_file), "build", "--push", "--atomic"]) == 1
    assert "image checks failed" in capsys.readouterr().err
    assert all(t.startswith("content-") for t in list_tags(repo)), list_tags(repo)


@pytest.mark.docker
@pytest.mark.buildx
def test_build_before_testing_uses_the_configured_builder(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``dockgen test --build`` builds with ``[tool.dockgen.build] builder`` like ``dockgen build`` does (it
    used the default builder): a builder that does not exist stops it before anything is tested."""
    require_buildx()
    build_file, _repo = write(project)
    (project / "pyproject.toml").write_text('[tool.dockgen.build]\nbuilder = "dockgen-no-such-builder"\n')
    code = main(argv=["-f", str(build_file), "test", "--build"])
    captured = capsys.readouterr()
    assert code != 0
    assert "dockgen-no-such-builder" in captured.err
    assert "PASS web" not in captured.out
