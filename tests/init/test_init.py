"""``dockgen init``: detection, the generated project (lint clean, fresh render, ruff-clean Python), never
overwriting, and -- on the real engine -- the generated Python and Go projects build, pass their declared
image checks and serve on their port. Node and Rust render and lint clean (their Debian toolchains are too
large to install in every test run; the official images are not available offline)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dockgen.cli import main
from dockgen.errors import UsageError
from dockgen.init_project import InitOptions, detect, plan_files
from tests.support.infra import require_buildx, require_engine, unique_repo

PY_APP = """\
import http.server
import os


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok\\n")


http.server.HTTPServer(("", int(os.environ.get("PORT", "8000"))), Handler).serve_forever()
"""

GO_APP = """\
package main

import (
\t"net/http"
\t"os"
)

func main() {
\thttp.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })
\thttp.ListenAndServe(":"+os.Getenv("PORT"), nil)
}
"""

PROJECTS: dict[str, dict[str, str]] = {
    "python": {"requirements.txt": "# no third-party dependencies\n", "app.py": PY_APP},
    "python-package": {
        "pyproject.toml": '[project]\nname = "hello-pkg"\nversion = "0.1.0"\n[project.scripts]\nhello = "hello_pkg:main"\n'
        '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n',
        "hello_pkg/__init__.py": "def main():\n    print('hi')\n",
    },
    "node": {
        "package.json": '{"name": "hello-node", "version": "1.0.0", "main": "server.js", "scripts": {"build": "true"}}\n',
        "package-lock.json": '{"name": "hello-node", "lockfileVersion": 3, "requires": true, "packages": {"": {"name": "hello-node"}}}\n',
        "server.js": "require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT)\n",
    },
    "go": {"go.mod": "module example.com/hello\n\ngo 1.19\n", "main.go": GO_APP},
    "rust": {
        "Cargo.toml": '[package]\nname = "hello-rs"\nversion = "0.1.0"\nedition = "2021"\n',
        "Cargo.lock": "version = 3\n",
        "src/main.rs": 'fn main() { println!("hi"); }\n',
    },
}


def make(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


@pytest.mark.parametrize(
    ("files", "ecosystem", "evidence"),
    [
        (PROJECTS["python"], "python", ["requirements.txt"]),
        (PROJECTS["python-package"], "python", ["pyproject.toml"]),
        (PROJECTS["node"], "node", ["package.json", "package-lock.json"]),
        (PROJECTS["go"], "go", ["go.mod"]),
        (PROJECTS["rust"], "rust", ["Cargo.toml"]),
        ({**PROJECTS["go"], "Dockerfile": "FROM busybox:1.36\n"}, "dockerfile", ["Dockerfile"]),
    ],
    ids=["requirements", "pyproject", "node", "go", "rust", "dockerfile-wins"],
)
def test_detect(tmp_path: Path, files: dict[str, str], ecosystem: str, evidence: list[str]) -> None:
    found = detect(make(tmp_path, files))
    assert (found.ecosystem, found.evidence) == (ecosystem, evidence)


def test_detect_details(tmp_path: Path) -> None:
    assert detect(
        make(tmp_path / "a", PROJECTS["python-package"]) if (tmp_path / "a").mkdir() is None else tmp_path
    ).details["command"] == ["hello"]
    (tmp_path / "b").mkdir()
    assert detect(make(tmp_path / "b", PROJECTS["python"])).details["command"] == ["python3", "app.py"]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({}, "found no pyproject.toml"),
        ({"package.json": "{}", "yarn.lock": ""}, "yarn.lock found"),
        ({"package.json": "{not json"}, "cannot read it as JSON"),
        ({"Cargo.toml": "[workspace]\n"}, "no [package] name"),
    ],
    ids=["empty", "node-without-npm-lock", "bad-json", "cargo-workspace"],
)
def test_clear_errors(
    tmp_path: Path, files: dict[str, str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    make(tmp_path, files)
    assert main(argv=["init", str(tmp_path)]) != 0
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "build_images.py").exists()


def _generated_is_clean(root: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Lint (the declarations and every Dockerfile under the project), render --check, ruff."""
    build_file = root / "build_images.py"
    here = Path.cwd()
    import os

    os.chdir(root)
    assert main(argv=["-f", str(build_file), "lint"]) == 0, capsys.readouterr().out
    assert main(argv=["-f", str(build_file), "render", "--check"]) == 0, capsys.readouterr().out
    os.chdir(here)
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    for args in (["format", "--check", "--no-cache"], ["check", "--no-cache", "--extend-select", "I"]):
        done = subprocess.run([ruff, *args, "--isolated", str(build_file)], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
    return build_file.read_text()


@pytest.mark.parametrize("kind", sorted(PROJECTS))
def test_generated_project_lints_clean_and_renders_fresh(
    tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    make(tmp_path, PROJECTS[kind])
    assert main(argv=["init", str(tmp_path), "--tasks", "nox"]) == 0
    err = capsys.readouterr().err
    for name in ("build_images.py", "noxfile.py", ".pre-commit-config.yaml", "Dockerfile", ".dockerignore"):
        assert (tmp_path / name).is_file() and f"wrote {tmp_path / name}" in err
    text = _generated_is_clean(tmp_path, capsys)
    assert 'user="10001:10001"' in text and "UserCheck()" in text
    dockerfile = (tmp_path / "Dockerfile").read_text()
    assert dockerfile.count("FROM ") == 2  # a builder stage and a runtime stage
    assert "--mount=type=cache" in dockerfile
    assert "ARG BASE_IMAGE=debian:bookworm-slim" in dockerfile


def test_official_base_image_needs_no_apt(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make(tmp_path, PROJECTS["python"])
    assert (
        main(
            argv=[
                "init",
                str(tmp_path),
                "--base",
                "python:3.12-slim",
                "--registry",
                "registry.example.com",
                "--namespace",
                "team",
                "--name",
                "Web App",
            ]
        )
        == 0
    )
    text = _generated_is_clean(tmp_path, capsys)
    assert "Apt(" not in text and 'BASE_IMAGE = "python:3.12-slim"' in text
    assert '"web-app",' in text and 'registry="registry.example.com"' in text


def test_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make(tmp_path, {**PROJECTS["python"], "tasks.py": "# mine\n", ".dockerignore": "mine\n"})
    assert main(argv=["init", str(tmp_path), "--tasks", "invoke"]) == 0
    err = capsys.readouterr().err
    assert (tmp_path / "tasks.py").read_text() == "# mine\n" and f"kept {tmp_path / 'tasks.py'}" in err
    assert (tmp_path / ".dockerignore").read_text() == "mine\n" and "would replace it" in err
    first = (tmp_path / "build_images.py").read_text()
    (tmp_path / "build_images.py").write_text(first + "# edited\n")
    assert main(argv=["init", str(tmp_path)]) == 0
    assert (tmp_path / "build_images.py").read_text().endswith("# edited\n")
    assert f"kept {tmp_path / 'build_images.py'}" in capsys.readouterr().err


def test_dockerfile_is_imported_and_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    dockerfile = 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.* && rm -rf /var/lib/apt/lists/*\nUSER 10001\nCMD ["sh"]\n'
    make(tmp_path, {"Dockerfile": dockerfile})
    assert main(argv=["init", str(tmp_path), "--name", "legacy"]) == 0
    err = capsys.readouterr().err
    assert (tmp_path / "Dockerfile").read_text() == dockerfile and "kept" in err
    text = (tmp_path / "build_images.py").read_text()
    assert "Apt(" in text and '"legacy"' in text
    monkeypatch.chdir(tmp_path)
    assert main(argv=["lint"]) == 0, capsys.readouterr().out  # the declaration and the kept Dockerfile
    # render would replace the hand-written Dockerfile: --check says so, init did not
    assert main(argv=["render", "--check"]) == 1


def test_dry_run_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make(tmp_path, PROJECTS["go"])
    assert main(argv=["init", str(tmp_path), "--dry-run"]) == 0
    assert "CGO_ENABLED=0 go build" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["go.mod", "main.go"]


def test_plan_files_options(tmp_path: Path) -> None:
    make(tmp_path, PROJECTS["go"])
    _detected, files = plan_files(tmp_path, InitOptions(pre_commit=False, tasks="invoke", port=9090))
    assert set(files) == {"build_images.py", "tasks.py"} and "Expose(9090)" in files["build_images.py"]
    with pytest.raises(UsageError, match="no rust project"):
        plan_files(tmp_path, InitOptions(ecosystem="rust"))


@pytest.mark.docker
@pytest.mark.buildx
@pytest.mark.slow
@pytest.mark.parametrize(("kind", "port"), [("python", 8000), ("go", 8080)])
def test_generated_project_builds_and_serves(
    tmp_path: Path, kind: str, port: int, capsys: pytest.CaptureFixture[str]
) -> None:
    require_engine()
    require_buildx()
    from dockgen.imagetest import ImageUnderTest, run_checks
    from dockgen.models import PortCheck

    make(tmp_path, PROJECTS[kind])
    name = unique_repo(f"init-{kind}").replace("/", "-")
    assert main(argv=["init", str(tmp_path), "--name", name]) == 0
    build_file = str(tmp_path / "build_images.py")
    code = main(
        argv=["-f", build_file, "test", "--build", "--progress", "plain"]
        if False
        else ["-f", build_file, "test", "--build", "-q"]
    )
    out = capsys.readouterr()
    assert code == 0, out.out + out.err[-3000:]
    assert "0 failed" in out.out and "PASS " + name + " [user: not root]" in out.out
    served = run_checks(ImageUnderTest(f"{name}:latest", name), [PortCheck(port, timeout=20, http_path="/")])
    assert served[0].passed, served[0]
    subprocess.run(["docker", "image", "rm", "-f", f"{name}:latest"], capture_output=True, check=False)
