"""Bad input never gives a traceback: every command, fed broken build files, Dockerfiles, configs, options,
references and registries, exits 1 (user error) or 2 (usage / unparseable) with a message that says where,
what and what to do.

Most cases run in-process through ``dockgen.cli.main``; a subprocess table runs ``python -m dockgen`` for
real, because a fresh interpreter imports only the command it runs (which is how an import cycle in
``dockgen login`` once slipped past every in-process test).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from dockgen.cli import main
from tests.support import infra
from tests.support.faults import Fault, FaultProxy

ROOT = Path(__file__).resolve().parents[1]

OK_IMAGE = """\
import dockgen
from dockgen import Image, Stage

images = [
    Image(
        name="app",
        registry="127.0.0.1:5000",
        namespace="bad-input",
        version="1.0.0",
        stages=[Stage(base="busybox:1.35", steps=[dockgen.Cmd(["true"])])],
    )
]
"""

BUILD_FILES: dict[str, str] = {
    "syntax-error": "import dockgen\nimages = [\n",
    "raises": "import dockgen\nraise RuntimeError('boom in the build file')\n",
    "exits": "import sys\nsys.exit(3)\n",
    "no-images": "x = 1\n",
    "empty-list": "images = []\n",
    "not-images": "images = [42, 'web']\n",
    "wrong-type": "import dockgen\nimages = [dockgen.Image(name=5, stages=[])]\n",
    "wrong-type-dict": "images = [{'name': 'a', 'stages': 'x'}]\n",
    "unknown-field": (
        "import dockgen\n"
        "images = [dockgen.Image(name='a', stages=[dockgen.Stage(base='busybox:1.35')], colour='red')]\n"
    ),
    "duplicate-names": (
        "import dockgen\n"
        "s = [dockgen.Stage(base='busybox:1.35')]\n"
        "images = [dockgen.Image(name='a', stages=s, dockerfile='a1.Dockerfile'),\n"
        "          dockgen.Image(name='a', stages=s, dockerfile='a2.Dockerfile')]\n"
    ),
    "cycle": (
        "from dockgen import Image, Stage\n"
        "R = dict(registry='127.0.0.1:5000', namespace='bad-input', version='1.0.0')\n"
        "images = [\n"
        "    Image(name='a', dockerfile='a.Dockerfile', stages=[Stage(base='127.0.0.1:5000/bad-input/b:1')], **R),\n"
        "    Image(name='b', dockerfile='b.Dockerfile', stages=[Stage(base='127.0.0.1:5000/bad-input/a:1')], **R),\n"
        "]\n"
    ),
}

# what the message must say for each broken build file (besides naming build_images.py)
BUILD_FILE_SAYS: dict[str, str] = {
    "syntax-error": "SyntaxError",
    "raises": "build_images.py:2: RuntimeError: boom in the build file",
    "exits": "exited with status 3",
    "no-images": "declares no images",
    "empty-list": "declare at least one Image",
    "not-images": "expected a dockgen.Image, got int",
    "wrong-type": "name: Input should be a valid string",
    "wrong-type-dict": "images[0].stages",
    "unknown-field": "colour: Extra inputs are not permitted",
    "duplicate-names": "duplicate image name 'a'",
    "cycle": "cycle: a -> b -> a",
}

BUILD_FILE_COMMANDS = ["render", "render --check", "lint", "tags", "plan", "build", "push", "prune"]
# the cycle only matters where images are ordered for building
CYCLE_COMMANDS = ["plan", "build", "push"]

DOCKERFILES: dict[str, bytes] = {
    "unknown-instruction": b"FROB x\nFROM busybox:1.35\n",
    "from-without-image": b"FROM\n",
    "copy-one-arg": b"FROM busybox:1.35\nCOPY a\n",
    "open-heredoc": b"FROM busybox:1.35\nRUN <<EOF\necho\n",
    "binary": b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)) * 4,
    "utf16": "FROM busybox:1.35\n".encode("utf-16"),
}
DOCKERFILE_SAYS: dict[str, str] = {
    "unknown-instruction": "unknown instruction: FROB",
    "from-without-image": "FROM requires",
    "copy-one-arg": "COPY requires at least two arguments",
    "open-heredoc": "never terminated",
    "binary": "binary file, not a Dockerfile",
    "utf16": "binary file, not a Dockerfile",
}

CONFIGS: dict[str, tuple[str, bytes, str]] = {
    # name: (file name, content, what the message says)
    "bad-toml": ("dockgen.toml", b"[lint\nselect = 1\n", "invalid TOML"),
    "unknown-key": ("dockgen.toml", b"bogus = 1\n", "bogus: unknown configuration key"),
    "unknown-rule": ("dockgen.toml", b'select = ["ZZ999"]\n', "'ZZ999' names no dockgen rule"),
    "unknown-severity": ("dockgen.toml", b'[severity]\nDG001 = "huge"\n', "unknown severity 'huge'"),
    "not-utf8": ("dockgen.toml", b'select = ["DG001"] # caf\xe9\n', "not UTF-8"),
    "pyproject-unknown-rule": (
        "pyproject.toml",
        b'[tool.dockgen]\nignore = ["NOPE1"]\n',
        "'NOPE1' names no dockgen rule",
    ),
}


@dataclass(frozen=True)
class Outcome:
    rc: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> Outcome:
    capsys.readouterr()
    rc = main(argv=argv)
    cap = capsys.readouterr()
    return Outcome(rc, cap.out, cap.err)


def run_subprocess(argv: list[str], cwd: Path, stdin: bytes = b"") -> Outcome:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "DOCKGEN_REGISTRY_TIMEOUT": "5"}
    proc = subprocess.run(
        [sys.executable, "-m", "dockgen", *argv],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        env=env,
        timeout=120,
    )
    return Outcome(
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
    )


def assert_clean_failure(res: Outcome, rc: int | tuple[int, ...], *needles: str) -> None:
    """Exit code as expected, no traceback anywhere, an ``error:`` line (or a located finding) that says
    what happened."""
    codes = rc if isinstance(rc, tuple) else (rc,)
    assert "Traceback" not in res.text, res.text
    assert "internal error" not in res.text, res.text
    assert res.rc in codes, f"exit {res.rc}, expected {codes}\n{res.text}"
    for needle in needles:
        assert needle in res.text, f"{needle!r} not in:\n{res.text}"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], Path]:
    """A fresh project dir holding build_images.py with the given source; the cwd moves there."""

    def make(source: str) -> Path:
        (tmp_path / "build_images.py").write_text(source, encoding="utf-8")
        monkeypatch.chdir(tmp_path)
        return tmp_path

    return make


# ---------------------------------------------------------------------------------------------- build files


@pytest.mark.parametrize("command", BUILD_FILE_COMMANDS)
def test_missing_build_file(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    res = run_cli(command.split(), capsys)
    if command == "lint":
        assert_clean_failure(res, 2, "nothing to lint", "hint:")
    elif command == "prune":
        assert_clean_failure(res, 2, "no repository given and no build file here", "hint:")
    else:
        assert_clean_failure(res, 2, "build_images.py: no build file here", "hint:")


@pytest.mark.parametrize(
    ("case", "command"),
    [
        (case, command)
        for case in BUILD_FILES
        for command in (CYCLE_COMMANDS if case == "cycle" else BUILD_FILE_COMMANDS)
    ],
    ids=lambda v: str(v).replace(" ", "_"),
)
def test_broken_build_file(
    case: str, command: str, project: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    project(BUILD_FILES[case])
    res = run_cli(command.split(), capsys)
    assert_clean_failure(res, 1, BUILD_FILE_SAYS[case], "error:")
    if case != "cycle":
        assert "build_images.py" in res.err
    if case not in ("cycle", "exits"):  # cli.load_build_file gives SystemExit no hint yet
        assert "hint:" in res.err


def test_missing_build_file_given_with_f(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    res = run_cli(["-f", str(tmp_path / "nope.py"), "render"], capsys)
    assert_clean_failure(res, 2, "nope.py: no build file here", "-f/--file")


# ---------------------------------------------------------------------------------------------- Dockerfiles


@pytest.mark.parametrize("command", ["lint", "lint --fix", "parse", "parse --json", "import"])
@pytest.mark.parametrize("case", sorted(DOCKERFILES))
def test_malformed_dockerfile(
    case: str,
    command: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "Dockerfile"
    path.write_bytes(DOCKERFILES[case])
    res = run_cli([*command.split(), "Dockerfile"], capsys)
    assert_clean_failure(res, 2, "Dockerfile:", DOCKERFILE_SAYS[case])
    assert path.read_bytes() == DOCKERFILES[case], "a file that does not parse must never be rewritten"


@pytest.mark.parametrize("command", ["lint", "lint --fix", "parse", "parse --json", "import"])
@pytest.mark.parametrize("kind", ["missing", "directory"])
def test_dockerfile_path_that_is_no_file(
    kind: str,
    command: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    if kind == "directory":
        (tmp_path / "Dockerfile").mkdir()
    res = run_cli([*command.split(), "Dockerfile"], capsys)
    assert_clean_failure(res, 2, "Dockerfile")
    assert ("no such file" in res.err) or ("directory" in res.err), res.err


def test_non_utf8_dockerfile_is_linted_and_kept_byte_exact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Latin-1 bytes in a RUN are not a reason to fail (BuildKit takes them); --fix must keep them as they are."""
    monkeypatch.chdir(tmp_path)
    data = b"FROM busybox:1.35\nRUN apt install -y curl && echo caf\xe9\nUSER 10001\n"
    (tmp_path / "Dockerfile").write_bytes(data)
    res = run_cli(["lint", "--fix", "Dockerfile"], capsys)
    assert_clean_failure(res, (0, 1))
    fixed = (tmp_path / "Dockerfile").read_bytes()
    assert b"caf\xe9" in fixed
    assert b"apt-get install" in fixed, "the safe fix (DG034) still applies"


# ---------------------------------------------------------------------------------------------- configuration


@pytest.mark.parametrize("case", sorted(CONFIGS))
def test_bad_lint_config(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    name, content, says = CONFIGS[case]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Dockerfile").write_text("FROM busybox:1.35\nUSER 10001\n", encoding="utf-8")
    (tmp_path / name).write_bytes(content)
    res = run_cli(["lint", "Dockerfile"], capsys)
    assert_clean_failure(res, 2, name, says)


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["lint", "--format", "nope", "Dockerfile"], "invalid choice: 'nope'"),
        (["lint", "--select", "ZZ999", "Dockerfile"], "'ZZ999' names no dockgen rule"),
        (["lint", "--severity", "DG001=huge", "Dockerfile"], "unknown severity 'huge'"),
        (["lint", "--severity", "DG001", "Dockerfile"], "use CODE=LEVEL"),
        (["lint", "--config", "missing.toml", "Dockerfile"], "missing.toml"),
        (["lint", "--config", "binary.bin", "Dockerfile"], "not UTF-8"),
        (["lint", "--fix", "--diff", "Dockerfile"], "exclude each other"),
        (["lint", "emptydir"], "no Dockerfile under this directory"),
        (["lint", "-o", "emptydir", "Dockerfile"], "cannot write the report"),
        (["rules", "--format", "nope"], "invalid choice: 'nope'"),
        (["rule", "ZZ999"], "no rule 'ZZ999'"),
        (["rule"], "required"),
        (["nosuchcommand"], "invalid choice: 'nosuchcommand'"),
        (["lint", "--no-such-flag"], "unrecognized arguments: --no-such-flag"),
        (["schema", "--indent", "-1"], "--indent -1"),
        (["schema", "-o", "nodir/sub/schema.json"], "cannot write"),
        (["import", "-o", "nodir/sub/build_images.py", "Dockerfile"], "cannot write"),
        (["import", "-o", "Dockerfile", "Dockerfile"], "already exists"),
        (["scan"], "give an image reference"),
        (["scan", "--report", "missing.json"], "missing.json"),
        (["scan", "--report", "binary.bin"], "not JSON"),
        (["sign", "--key", "missing.key", "127.0.0.1:5000/x:1"], "neither a file nor a KMS URI"),
        (["verify", "--key", "missing.pub", "127.0.0.1:5000/x:1"], "neither a file nor a KMS URI"),
        (["inspect", "not a ref!!"], "invalid repository name"),
        (["inspect", ""], "empty image reference"),
        (
            ["inspect", "--ca-bundle", "missing.pem", "127.0.0.1:5443/x:1"],
            "--ca-bundle missing.pem: no such file",
        ),
        (["inspect", "--ca-bundle", "binary.bin", "127.0.0.1:5443/x:1"], "not a PEM file"),
        (["prune", "UPPER/bad repo"], "invalid repository name"),
        (["prune", "--keep-last", "-1", "127.0.0.1:5000/x"], "--keep-last -1"),
        (["prune", "--max-age-days", "abc", "127.0.0.1:5000/x"], "--max-age-days 'abc'"),
        (["prune", "--keep", "re:(", "127.0.0.1:5000/x"], "not a valid regular expression"),
        (["prune", "--config", "missing.toml", "127.0.0.1:5000/x"], "missing.toml"),
        (["prune", "--config", "binary.bin", "127.0.0.1:5000/x"], "not UTF-8"),
        (["login", "--password-stdin", "127.0.0.1:5443"], "--username is required"),
    ],
    ids=lambda v: "_".join(v) if isinstance(v, list) else None,
)
def test_bad_options_and_arguments(
    argv: list[str],
    says: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", "/usr/bin:/bin")  # no trivy/cosign; none of these may reach them anyway
    (tmp_path / "Dockerfile").write_text("FROM busybox:1.35\nUSER 10001\n", encoding="utf-8")
    (tmp_path / "binary.bin").write_bytes(b"\xd0\xcf\x11\xe0" + bytes(range(256)))
    (tmp_path / "emptydir").mkdir()
    res = run_cli(argv, capsys)
    rc: int | tuple[int, ...] = (1, 2)
    assert_clean_failure(res, rc, says)


# ---------------------------------------------------------------------------------------------- tags / versions


@pytest.mark.parametrize(
    ("argv", "rc", "says"),
    [
        (["tags", "--version", "not a version"], 1, "neither a SemVer version"),
        (["plan", "--version", "not a version"], 1, "neither a SemVer version"),
        (["build", "--version", "not a version"], 1, "neither a SemVer version"),
        (["tags", "--policy", "nonsense"], 2, "expected KEY=VALUE"),
        (["tags", "--template", "{nope}"], 2, "unknown placeholder {nope}"),
        (["tags", "--sha-length", "-3"], 2, "sha_length"),
        (["tags", "--image", "nope"], 2, "no image named nope"),
        (["tags", "--registry", "bad registry"], 1, "not a valid registry host"),
    ],
    ids=lambda v: "_".join(v) if isinstance(v, list) else None,
)
def test_bad_tag_options(
    argv: list[str], rc: int, says: str, project: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    project(OK_IMAGE)
    res = run_cli(argv, capsys)
    assert_clean_failure(res, rc, says)


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("pyproject.toml", b'[project]\nname = "x"\nversion = "caf\xe9"\n', "not UTF-8"),
        ("pyproject.toml", b"[project\n", "Expected ']'"),
        ("pyproject.toml", b'[project]\nname = "x"\nversion = "soon"\n', "neither a SemVer nor a PEP 440"),
        ("package.json", b'{"version": "caf\xe9"}', "not UTF-8"),
        ("package.json", b'{"version": 5', "delimiter"),
    ],
    ids=[
        "pyproject-not-utf8",
        "pyproject-bad-toml",
        "pyproject-bad-version",
        "package-not-utf8",
        "package-bad-json",
    ],
)
def test_bad_version_files(
    name: str,
    content: bytes,
    says: str,
    project: Callable[[str], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = project(OK_IMAGE.replace('version="1.0.0",', ""))
    (root / name).write_bytes(content)
    res = run_cli(["tags", "--version-from", "file"], capsys)
    assert_clean_failure(res, 2, name, says)


# ---------------------------------------------------------------------------------------------- tools


@pytest.mark.parametrize(
    ("argv", "tool"),
    [
        (["scan", "busybox:1.35"], "trivy"),
        (["sign", "--key", "cosign.key", "127.0.0.1:5000/x:1"], "cosign"),
        (["verify", "--key", "cosign.pub", "127.0.0.1:5000/x:1"], "cosign"),
    ],
    ids=["scan", "sign", "verify"],
)
def test_missing_tool_says_how_to_install(
    argv: list[str],
    tool: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    (tmp_path / "cosign.key").write_text("not a real key\n", encoding="utf-8")
    (tmp_path / "cosign.pub").write_text("not a real key\n", encoding="utf-8")
    res = run_cli(argv, capsys)
    assert_clean_failure(res, 1, f"{tool} is not installed", "hint: install")


# ---------------------------------------------------------------------------------------------- registries


@pytest.mark.parametrize(
    "argv",
    [
        ["inspect", "127.0.0.1:1/x/y:1"],
        ["prune", "127.0.0.1:1/x"],
        [
            "tags",
            "--existing-from-registry",
            "--name",
            "x",
            "--registry",
            "127.0.0.1:1",
            "--version",
            "1.0.0",
        ],
        ["login", "-u", "someone", "--password-stdin", "127.0.0.1:1"],
    ],
    ids=["inspect", "prune", "tags", "login"],
)
def test_unreachable_registry(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(sys, "stdin", _Stdin("a-password\n"))
    res = run_cli(argv, capsys)
    assert_clean_failure(res, 1, "connection to 127.0.0.1:1 refused", "hint:")


class _Stdin:
    def __init__(self, text: str) -> None:
        self._text = text

    def read(self) -> str:
        return self._text

    def isatty(self) -> bool:
        return False


@pytest.mark.registry
def test_login_wrong_password_never_echoes_it(tmp_path: Path) -> None:
    infra.require_registry(infra.AUTH_REGISTRY)
    secret = "wrong-pw-7c1e9a0d-do-not-print"
    res = run_subprocess(
        ["login", "-u", infra.AUTH_USER, "--password-stdin", infra.AUTH_REGISTRY],
        tmp_path,
        stdin=secret.encode(),
    )
    assert_clean_failure(res, 1, "rejected the credentials", "hint:")
    assert secret not in res.text
    assert not (tmp_path / ".docker").exists()


@pytest.mark.registry
@pytest.mark.parametrize(
    "argv",
    [
        ["prune", "127.0.0.1:5000/bad-input/never-pushed-3b1f"],
        ["prune", "--json", "127.0.0.1:5000/bad-input/never-pushed-3b1f"],
        ["inspect", "127.0.0.1:5000/bad-input/never-pushed-3b1f:1"],
    ],
    ids=["prune", "prune-json", "inspect"],
)
def test_unknown_repository(
    argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    infra.require_registry(infra.PLAIN_REGISTRY)
    monkeypatch.chdir(tmp_path)
    res = run_cli(argv, capsys)
    assert_clean_failure(res, 1, "127.0.0.1:5000/bad-input/never-pushed-3b1f is unknown to the registry")


@pytest.mark.registry
def test_prune_of_a_declared_image_never_pushed_is_a_note(
    project: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    infra.require_registry(infra.PLAIN_REGISTRY)
    project(OK_IMAGE.replace('namespace="bad-input"', 'namespace="bad-input-never-pushed"'))
    res = run_cli(["prune"], capsys)
    assert res.rc == 0, res.text
    assert "never pushed" in res.err


@pytest.mark.registry
@pytest.mark.parametrize(
    ("fault", "says"),
    [
        (Fault.status(500, times=50), "HTTP 500"),
        (Fault.status(429, retry_after=1, times=50), "rate-limiting"),
        (Fault.status(403, times=50), "not allowed"),
        (Fault.reset(times=50), "failed or was dropped"),
        (Fault.status(200, times=50, body=b"<html>not json</html>"), "not JSON"),
    ],
    ids=["500", "429", "403", "reset", "garbage"],
)
@pytest.mark.parametrize("command", ["inspect", "prune", "tags"])
def test_registry_answering_with_errors(
    command: str,
    fault: Fault,
    says: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    infra.require_registry(infra.PLAIN_REGISTRY)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DOCKGEN_REGISTRY_TIMEOUT", "3")
    with FaultProxy(infra.registry_url(infra.PLAIN_REGISTRY)) as proxy:
        proxy.script(fault)
        argv = {
            "inspect": ["inspect", "--insecure", f"{proxy.addr}/bad-input/app:1"],
            "prune": ["prune", "--insecure", f"{proxy.addr}/bad-input/app"],
            "tags": [
                "tags",
                "--existing-from-registry",
                "--name",
                "app",
                "--registry",
                proxy.addr,
                "--namespace",
                "bad-input",
                "--version",
                "1.0.0",
            ],
        }[command]
        res = run_cli(argv, capsys)
    if "not JSON" in says and command == "inspect":
        says = "not a JSON object"
    assert_clean_failure(res, 1, says, proxy.addr)


# ---------------------------------------------------------------------------------------------- real processes


SUBPROCESS_CASES: list[tuple[str, list[str], int, str]] = [
    ("login-no-username", ["login", "--password-stdin", "127.0.0.1:5443"], 2, "--username is required"),
    ("login-unreachable", ["login", "-u", "x", "--password-stdin", "127.0.0.1:1"], 1, "refused"),
    (
        "inspect-missing-ca",
        ["inspect", "--ca-bundle", "missing.pem", "127.0.0.1:5443/x:1"],
        1,
        "no such file",
    ),
    ("schema-unwritable", ["schema", "-o", "nodir/x.json"], 1, "cannot write"),
    ("lint-binary", ["lint", "binary.bin"], 2, "binary.bin:1:1 PARSE error"),
    ("parse-missing", ["parse", "missing"], 2, "no such file"),
    ("import-directory", ["import", "emptydir"], 2, "is a directory"),
    ("render-no-build-file", ["render"], 2, "no build file here"),
    ("build-broken-file", ["-f", "broken.py", "build"], 1, "RuntimeError: boom"),
    ("tags-bad-version", ["-f", "ok.py", "tags", "--version", "not a version"], 1, "neither a SemVer"),
    ("scan-no-trivy", ["scan", "busybox:1.35"], 1, "trivy is not installed"),
    ("prune-bad-option", ["prune", "--keep-last", "-1", "127.0.0.1:5000/x"], 2, "--keep-last -1"),
]


@pytest.mark.parametrize(
    ("argv", "rc", "says"),
    [case[1:] for case in SUBPROCESS_CASES],
    ids=[case[0] for case in SUBPROCESS_CASES],
)
def test_real_process_has_no_traceback(argv: list[str], rc: int, says: str, tmp_path: Path) -> None:
    (tmp_path / "binary.bin").write_bytes(b"\x7fELF\x00\x00" + bytes(range(256)))
    (tmp_path / "emptydir").mkdir()
    (tmp_path / "broken.py").write_text("raise RuntimeError('boom')\n", encoding="utf-8")
    (tmp_path / "ok.py").write_text(OK_IMAGE, encoding="utf-8")
    env_path = os.environ.get("PATH", "")
    os.environ["PATH"] = "/usr/bin:/bin"  # no trivy
    try:
        res = run_subprocess(argv, tmp_path, stdin=b"not-the-password")
    finally:
        os.environ["PATH"] = env_path
    assert_clean_failure(res, rc, says)
    assert "error" in res.text
    assert "not-the-password" not in res.text
