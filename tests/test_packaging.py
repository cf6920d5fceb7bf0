"""The distribution a user installs works: build the sdist and the wheel (``python -m build``, which builds the
wheel from the sdist, so a file missing from the sdist fails too), install the **wheel** — not the checkout —
into a fresh virtual environment, and run it from a directory outside the checkout.

What it checks is what a user of ``pip install dockgen-py`` meets first: the ``dockgen`` command and its
version, ``python -m dockgen``, the rule pack found through the ``dockgen.rules`` entry point, the templates
(by rendering an example), ``dockgen lint`` and ``dockgen rule``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

import pytest

from tests.support.checkout import fresh_copy

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
NAME = PROJECT["name"]
VERSION = PROJECT["version"]

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Installed:
    venv: Path
    outside: Path  # a working directory that is not the checkout
    dist: Path

    def run(self, *argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("PYTHONPATH", "VIRTUAL_ENV", "DOCKGEN_FILE") and not k.startswith("PYTEST_")
        }
        env["PATH"] = f"{self.venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        env["NO_COLOR"] = "1"
        return subprocess.run(
            list(argv), cwd=cwd or self.outside, env=env, capture_output=True, text=True, timeout=300
        )


def _checked(res: subprocess.CompletedProcess[str], what: str) -> subprocess.CompletedProcess[str]:
    assert res.returncode == 0, (
        f"{what} failed ({res.returncode}):\n{res.stdout[-3000:]}\n{res.stderr[-3000:]}"
    )
    return res


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    base = tmp_path_factory.mktemp("packaging")
    dist = base / "dist-out"
    # Build from a copy of the tracked files, so nothing of the working tree (.venv, caches) can leak in.
    src = fresh_copy(base / "src")
    _checked(
        subprocess.run(
            [sys.executable, "-m", "build", "--outdir", str(dist), str(src)],
            capture_output=True,
            text=True,
            timeout=600,
        ),
        "python -m build",
    )
    venv = base / "venv"
    _checked(
        subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True),
        "venv",
    )
    wheels = list(dist.glob("*.whl"))
    assert len(wheels) == 1, sorted(p.name for p in dist.iterdir())
    outside = base / "outside"
    outside.mkdir()
    inst = Installed(venv, outside, dist)
    _checked(
        inst.run(
            str(venv / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            str(wheels[0]),
        ),
        "pip install of the wheel",
    )
    yield inst


def test_sdist_and_wheel_carry_the_distribution_name(installed: Installed) -> None:
    stem = NAME.replace("-", "_")
    assert (installed.dist / f"{stem}-{VERSION}-py3-none-any.whl").is_file()
    sdist = installed.dist / f"{stem}-{VERSION}.tar.gz"
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    for needed in ("pyproject.toml", "README.md", "dockgen/cli.py", "rules/dockgen_rules/__init__.py"):
        assert needed in names, f"{needed} missing from the sdist"


def test_command_and_module_report_the_version(installed: Installed) -> None:
    res = _checked(installed.run("dockgen", "--version"), "dockgen --version")
    assert res.stdout.strip() == f"dockgen {VERSION}"
    assert shutil.which("dockgen", path=str(installed.venv / "bin")) is not None
    res = _checked(installed.run(str(installed.venv / "bin" / "python"), "-m", "dockgen", "--version"), "-m")
    assert res.stdout.strip() == f"dockgen {VERSION}"


def test_imports_come_from_the_installed_wheel(installed: Installed) -> None:
    code = (
        "import importlib.metadata as m, dockgen, dockgen_rules;"
        "print(dockgen.__file__); print(dockgen_rules.__file__);"
        f"print(m.distribution({NAME!r}).version)"
    )
    res = _checked(installed.run(str(installed.venv / "bin" / "python"), "-c", code), "import")
    dockgen_file, rules_file, version = res.stdout.split()
    site = installed.venv.resolve()
    assert Path(dockgen_file).resolve().is_relative_to(site), dockgen_file
    assert Path(rules_file).resolve().is_relative_to(site), rules_file
    assert version == VERSION


def test_rules_are_found_through_the_entry_point(installed: Installed) -> None:
    code = (
        "from importlib.metadata import entry_points;"
        "print([e.value for e in entry_points(group='dockgen.rules')]);"
        "from dockgen.lint.registry import discover_rule_classes;"
        "print(len(discover_rule_classes()))"
    )
    res = installed.run(str(installed.venv / "bin" / "python"), "-c", code)
    _checked(res, "rule discovery")
    groups, count = res.stdout.splitlines()
    assert groups == "['dockgen_rules']"
    from dockgen.lint.registry import discover_rule_classes

    assert int(count) == len(discover_rule_classes()) > 50  # every rule of the checkout's pack
    res = _checked(installed.run("dockgen", "rules"), "dockgen rules")
    assert "DG040" in res.stdout and "apt-package-not-pinned" in res.stdout


def test_rule_lookup_by_foreign_code(installed: Installed) -> None:
    res = _checked(installed.run("dockgen", "rule", "DL3008"), "dockgen rule DL3008")
    assert res.stdout.startswith("DG040 apt-package-not-pinned")
    assert "DL3008" in res.stdout
    # its documentation link points at the rule reference installed with the wheel
    docs = next(line for line in res.stdout.splitlines() if line.startswith("Docs:")).split()[1]
    parsed = urlparse(docs)
    path = Path(url2pathname(parsed.path))
    assert parsed.scheme == "file" and parsed.fragment == "dg040"
    assert path.resolve().is_relative_to(installed.venv.resolve()), path
    assert '<a id="dg040"></a>' in path.read_text(encoding="utf-8")


def test_lint_an_example_and_a_bad_dockerfile(installed: Installed) -> None:
    example = installed.outside / "python-web"
    shutil.copytree(ROOT / "examples" / "python-web", example)
    res = _checked(installed.run("dockgen", "lint", "Dockerfile", cwd=example), "lint of the example")
    assert "All clean" in res.stdout
    bad = installed.outside / "bad"
    bad.mkdir()
    (bad / "Dockerfile").write_text("FROM debian:latest\nRUN apt-get install curl\n", encoding="utf-8")
    res = installed.run("dockgen", "lint", "Dockerfile", cwd=bad)
    assert res.returncode == 1, res.stdout + res.stderr
    assert "DG002" in res.stdout and "DG035" in res.stdout


def test_templates_are_installed(installed: Installed) -> None:
    """Rendering an example needs the Jinja templates shipped inside the package."""
    project = installed.outside / "render-example"
    shutil.copytree(ROOT / "examples" / "python-web", project)
    committed = (project / "Dockerfile").read_bytes()
    (project / "Dockerfile").unlink()
    _checked(installed.run("dockgen", "render", cwd=project), "dockgen render")
    assert (project / "Dockerfile").read_bytes() == committed
    _checked(installed.run("dockgen", "render", "--check", cwd=project), "dockgen render --check")
