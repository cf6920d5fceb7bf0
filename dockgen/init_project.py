"""``dockgen init``: detect what a project is and write a ``build_images.py`` that follows dockgen's rules.

:func:`detect` looks at the project directory (``pyproject.toml`` / ``requirements.txt``, ``package.json`` +
``package-lock.json``, ``go.mod``, ``Cargo.toml``, an existing ``Dockerfile``); :func:`plan_files` returns the
files to write (path -> text): ``build_images.py`` and, on request, ``tasks.py`` (invoke) or ``noxfile.py``,
and a ``.pre-commit-config.yaml``. The generated declarations are multi-stage where there is a build step,
run as a non-root user, use a tagged base image, cache mounts for package managers, pinned Debian packages
(on Debian bookworm bases) and dockgen's ``.dockerignore``; they declare image checks (``dockgen test``).

Nothing here writes files: :mod:`dockgen.commands.init` does, and never overwrites one.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from dockgen.errors import DockgenError, UsageError

__all__ = ["ECOSYSTEMS", "Detected", "InitOptions", "detect", "plan_files"]

Ecosystem = Literal["python", "node", "go", "rust", "dockerfile"]
ECOSYSTEMS: tuple[Ecosystem, ...] = ("python", "node", "go", "rust", "dockerfile")
DEFAULT_BASE = "debian:bookworm-slim"

# Debian bookworm's toolchain packages, pinned to the release's versions (DG040 wants pins)
BOOKWORM_PINS = {
    "python3": "3.11.*",
    "python3-venv": "3.11.*",
    "nodejs": "18.*",
    "npm": "9.*",
    "golang-go": "2:1.19*",
    "cargo": "0.66.*",
    "ca-certificates": "20*",
}
DEFAULT_PORTS = {"python": 8000, "node": 3000, "go": 8080, "rust": 8080}


@dataclass
class Detected:
    ecosystem: Ecosystem
    evidence: list[str]
    """The files that decided it (shown to the user)."""
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class InitOptions:
    name: str | None = None
    base: str = DEFAULT_BASE
    """Base image of every stage (the Go runtime stage is ``scratch``)."""
    registry: str | None = None
    namespace: str | None = None
    port: int | None = None
    tasks: Literal["invoke", "nox", "none"] = "none"
    pre_commit: bool = True
    ecosystem: Ecosystem | None = None


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DockgenError(
            f"{path}: cannot read it as JSON: {exc}", hint="fix the file, then run init again"
        ) from None
    return data if isinstance(data, dict) else {}


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DockgenError(
            f"{path}: cannot read it as TOML: {exc}", hint="fix the file, then run init again"
        ) from None


def detect(root: Path, only: Ecosystem | None = None) -> Detected:
    """What the project in ``root`` is. An existing Dockerfile wins (it is imported) unless ``only`` says."""
    found: list[Detected] = []
    if (root / "Dockerfile").is_file():
        found.append(Detected("dockerfile", ["Dockerfile"]))
    if (root / "pyproject.toml").is_file() or (root / "requirements.txt").is_file():
        found.append(_python(root))
    if (root / "package.json").is_file():
        found.append(_node(root))
    if (root / "go.mod").is_file():
        found.append(Detected("go", ["go.mod"], {"go_sum": (root / "go.sum").is_file()}))
    if (root / "Cargo.toml").is_file():
        found.append(_rust(root))
    if only is not None:
        for d in found:
            if d.ecosystem == only:
                return d
        raise UsageError(
            f"{root}: no {only} project here (looked for its manifest files)",
            hint="run init in the project's directory, or drop --ecosystem to detect it",
        )
    if not found:
        raise UsageError(
            f"{root}: found no pyproject.toml, requirements.txt, package.json, go.mod, Cargo.toml or Dockerfile",
            hint="run dockgen init in your project's directory",
        )
    return found[0]


def _python(root: Path) -> Detected:
    evidence = [n for n in ("pyproject.toml", "requirements.txt") if (root / n).is_file()]
    details: dict[str, Any] = {"requirements": (root / "requirements.txt").is_file()}
    project: dict[str, Any] = {}
    if (root / "pyproject.toml").is_file():
        project = _read_toml(root / "pyproject.toml").get("project") or {}
    scripts = project.get("scripts") if isinstance(project.get("scripts"), dict) else {}
    details["package"] = bool(project.get("name")) and not details["requirements"]
    details["name"] = project.get("name")
    if scripts:
        details["command"] = [next(iter(scripts))]
    else:
        main = next(
            (n for n in ("app.py", "main.py", "server.py", "manage.py") if (root / n).is_file()), None
        )
        module = str(project.get("name") or "app").replace("-", "_")
        details["command"] = ["python3", main] if main else ["python3", "-m", module]
    return Detected("python", evidence, details)


def _node(root: Path) -> Detected:
    package = _read_json(root / "package.json")
    locks = [n for n in ("package-lock.json", "npm-shrinkwrap.json") if (root / n).is_file()]
    if not locks:
        other = [n for n in ("yarn.lock", "pnpm-lock.yaml") if (root / n).is_file()]
        raise UsageError(
            f"{root}: package.json without a package-lock.json"
            + (f" ({', '.join(other)} found: yarn and pnpm are not generated yet)" if other else ""),
            hint="run `npm install` to create package-lock.json (npm ci installs exactly what it pins), then init",
        )
    scripts = package.get("scripts") if isinstance(package.get("scripts"), dict) else {}
    main = package.get("main") if isinstance(package.get("main"), str) else None
    if main is None:
        main = next((n for n in ("server.js", "index.js", "app.js") if (root / n).is_file()), "index.js")
    return Detected(
        "node",
        ["package.json", locks[0]],
        {"lock": locks[0], "build": "build" in (scripts or {}), "main": main, "name": package.get("name")},
    )


def _rust(root: Path) -> Detected:
    cargo = _read_toml(root / "Cargo.toml")
    package = cargo.get("package") or {}
    bins = cargo.get("bin") if isinstance(cargo.get("bin"), list) else []
    binary = (bins[0].get("name") if bins and isinstance(bins[0], dict) else None) or package.get("name")
    if not binary:
        raise UsageError(
            f"{root / 'Cargo.toml'}: no [package] name", hint="init supports a single binary crate"
        )
    return Detected("rust", ["Cargo.toml"], {"binary": binary, "lock": (root / "Cargo.lock").is_file()})


def image_name(root: Path, detected: Detected, given: str | None) -> str:
    raw = given or detected.details.get("name") or root.resolve().name
    name = re.sub(r"[^a-z0-9]+", "-", str(raw).lower()).strip("-")
    if not name:
        raise UsageError(f"cannot make an image name from {raw!r}", hint="pass --name NAME")
    return name


def _debian(base: str) -> bool:
    repo = (
        base.split("@", 1)[0].rsplit(":", 1)[0] if ":" in base.rsplit("/", 1)[-1] else base.split("@", 1)[0]
    )
    return repo.rsplit("/", 1)[-1] in ("debian", "ubuntu")


def _apt(base: str, packages: list[str]) -> str:
    """An Apt step installing the toolchain on a Debian base (pinned on bookworm), else nothing: an official
    language image (python:3.12-slim, node:20, golang:1.22, rust:1.79) already has it."""
    if not _debian(base):
        return ""
    if "bookworm" in base:
        pins = ", ".join(f"{_q(p)}: {_q(BOOKWORM_PINS[p])}" for p in packages)
        return f"Apt({{{pins}}}),\n"
    return f"Apt({_q(packages)}),  # pin these to your release's versions (DG040)\n"


def _q(value: str | list[str]) -> str:
    """A Python literal of a string or a list of strings, in double quotes (as ruff formats them)."""
    return json.dumps(value, ensure_ascii=False)


def _indent(text: str, spaces: int) -> str:
    pad = " " * spaces
    return "".join(pad + line if line.strip() else line for line in text.splitlines(keepends=True))


_HEADER = '''"""Container images of {name}, declared with dockgen.

Written by `dockgen init`; edit freely.

    python build_images.py render      # write Dockerfile and .dockerignore
    python build_images.py lint        # check the declarations
    python build_images.py test --build  # build locally and run the image checks
    python build_images.py build --push  # publish (the checks run first)

The base image is BASE_IMAGE ({base}); see docs/declarations.md.
"""

import dockgen
from dockgen import (
{imports}
)

BASE_IMAGE = {base_q}
'''

_FOOTER = """
images = [
    Image(
        {name_q},{where}
        args={{"BASE_IMAGE": BASE_IMAGE}},
        stages=[{stages}],
        checks=[
{checks}        ],
    ),
]

if __name__ == "__main__":
    raise SystemExit(dockgen.main(images))
"""


def _builder_stage(steps: str, *, workdir: str) -> str:
    """The ``builder = Stage(...)`` source every ecosystem writes: FROM the chosen base, ``steps`` indented."""
    return (
        f'builder = Stage(\n    "builder",\n    base="${{BASE_IMAGE}}",\n    workdir="{workdir}",\n    steps=[\n'
        + _indent(steps, 8)
        + "    ],\n)\n"
    )


def _python_stages(d: Detected, base: str, port: int) -> tuple[str, list[str], str]:
    install = (
        'Copy("requirements.txt", "./"),\n'
        'Pip(requirements="requirements.txt", venv="/opt/venv", cache_mount=True),\n'
        if d.details["requirements"]
        else 'Copy(".", "./"),\n'
        "Run(\n"
        '    "python3 -m venv /opt/venv && /opt/venv/bin/pip install .",\n'
        '    mounts=[CacheMount("/root/.cache/pip")],\n'
        "),\n"
    )
    builder = _builder_stage(_apt(base, ["python3", "python3-venv"]) + install, workdir="/app")
    copy_app = 'Copy(".", "./"),\n' if d.details["requirements"] else ""
    runtime = (
        'runtime = Stage(\n    "runtime",\n    base="${BASE_IMAGE}",\n    workdir="/app",\n    steps=[\n'
        + _indent(
            _apt(base, ["python3"])
            + f'Env({{"PATH": "/opt/venv/bin:$PATH", "PYTHONUNBUFFERED": "1", "PORT": "{port}"}}),\n'
            + 'Copy("/opt/venv", "/opt/venv", from_=builder),\n'
            + copy_app
            + f"Expose({port}),\n"
            + f"Cmd({_q(d.details['command'])}),\n",
            8,
        )
        + '    ],\n    user="10001:10001",\n)\n'
    )
    checks = 'CommandCheck(["python3", "--version"], stdout=r"^Python 3"),\n'
    imports = ["Copy", "Env", "Expose", "Cmd", "CommandCheck"]
    imports += ["Pip"] if d.details["requirements"] else ["Run", "CacheMount"]
    if _debian(base):
        imports.append("Apt")
    return builder + "\n" + runtime, imports, checks


def _node_stages(d: Detected, base: str, port: int) -> tuple[str, list[str], str]:
    build = d.details["build"]
    steps = (
        _apt(base, ["nodejs", "npm"])
        + f'Copy(["package.json", {_q(d.details["lock"])}], "./"),\n'
        + f"Npm(omit_dev={not build}, cache_mount=True),\n"
        + 'Copy(".", "./"),\n'
    )
    imports = ["Copy", "Env", "Expose", "Cmd", "CommandCheck", "Npm"]
    if build:
        steps += 'Run("npm run build && npm prune --omit=dev"),\n'
        imports.append("Run")
    builder = _builder_stage(steps, workdir="/app")
    runtime = (
        'runtime = Stage(\n    "runtime",\n    base="${BASE_IMAGE}",\n    workdir="/app",\n    steps=[\n'
        + _indent(
            _apt(base, ["nodejs"])
            + f'Env({{"NODE_ENV": "production", "PORT": "{port}"}}),\n'
            + 'Copy("/app", "/app", from_=builder),\n'
            + f"Expose({port}),\n"
            + f'Cmd(["node", {_q(d.details["main"])}]),\n',
            8,
        )
        + '    ],\n    user="10001:10001",\n)\n'
    )
    if _debian(base):
        imports.append("Apt")
    return builder + "\n" + runtime, imports, 'CommandCheck(["node", "--version"], stdout=r"^v[0-9]+"),\n'


def _go_stages(d: Detected, base: str, port: int) -> tuple[str, list[str], str]:
    manifests = '["go.mod", "go.sum"]' if d.details["go_sum"] else '"go.mod"'
    steps = (
        _apt(base, ["golang-go", "ca-certificates"])
        + f'Copy({manifests}, "./"),\n'
        + 'Run("go mod download", mounts=[CacheMount("/root/go/pkg/mod")]),\n'
        + 'Copy(".", "./"),\n'
        + "Run(\n"
        + "    \"CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o /out/app .\",\n"
        + "    mounts=[\n"
        + '        CacheMount("/root/go/pkg/mod"),\n'
        + '        CacheMount("/root/.cache/go-build"),\n'
        + "    ],\n"
        + "),\n"
    )
    builder = _builder_stage(steps, workdir="/src")
    runtime = (
        'runtime = Stage(\n    "runtime",\n    base="scratch",\n    steps=[\n'
        + _indent(
            'Copy("/etc/ssl/certs/ca-certificates.crt", "/etc/ssl/certs/", from_=builder),\n'
            + 'Copy("/out/app", "/app", from_=builder),\n'
            + f'Env({{"PORT": "{port}"}}),\n'
            + f"Expose({port}),\n"
            + 'Cmd(["/app"]),\n',
            8,
        )
        + '    ],\n    user="10001:10001",\n)\n'
    )
    imports = ["Copy", "Env", "Expose", "Cmd", "Run", "CacheMount", "FileCheck"]
    if _debian(base):
        imports.append("Apt")
    return builder + "\n" + runtime, imports, 'FileCheck("/app", type="file", mode="0755"),\n'


def _rust_stages(d: Detected, base: str, port: int) -> tuple[str, list[str], str]:
    binary = d.details["binary"]
    manifests = '["Cargo.toml", "Cargo.lock"]' if d.details["lock"] else '"Cargo.toml"'
    locked = " --locked" if d.details["lock"] else ""
    steps = (
        _apt(base, ["cargo", "ca-certificates"])
        + f'Copy({manifests}, "./"),\n'
        + 'Copy("src", "./src"),\n'
        + "Run(\n"
        + f'    "cargo build --release{locked} && cp target/release/{binary} /usr/local/bin/app",\n'
        + "    mounts=[\n"
        + '        CacheMount("/root/.cargo/registry"),\n'
        + '        CacheMount("/src/target"),\n'
        + "    ],\n"
        + "),\n"
    )
    builder = _builder_stage(steps, workdir="/src")
    runtime = (
        'runtime = Stage(\n    "runtime",\n    base="${BASE_IMAGE}",\n    steps=[\n'
        + _indent(
            'Copy("/usr/local/bin/app", "/usr/local/bin/app", from_=builder),\n'
            + f'Env({{"PORT": "{port}"}}),\n'
            + f"Expose({port}),\n"
            + 'Cmd(["/usr/local/bin/app"]),\n',
            8,
        )
        + '    ],\n    user="10001:10001",\n)\n'
    )
    imports = ["Copy", "Env", "Expose", "Cmd", "Run", "CacheMount", "FileCheck"]
    if _debian(base):
        imports.append("Apt")
    return builder + "\n" + runtime, imports, 'FileCheck("/usr/local/bin/app", type="file"),\n'


def build_file_text(root: Path, detected: Detected, options: InitOptions) -> str:
    """The ``build_images.py`` for a language project (an existing Dockerfile goes through the importer)."""
    name = image_name(root, detected, options.name)
    port = options.port or DEFAULT_PORTS[detected.ecosystem]
    make = {"python": _python_stages, "node": _node_stages, "go": _go_stages, "rust": _rust_stages}
    stages, imports, checks = make[detected.ecosystem](detected, options.base, port)
    checks = (
        "UserCheck(),\n"
        + checks
        + ('FileCheck("/usr/bin/gcc", exists=False),\n' if detected.ecosystem != "go" else "")
    )
    names = sorted(
        {*imports, "Image", "Stage", "UserCheck"} | ({"FileCheck"} if detected.ecosystem != "go" else set())
    )
    where = ""
    if options.registry:
        where += f"\n        registry={_q(options.registry)},"
    if options.namespace:
        where += f"\n        namespace={_q(options.namespace)},"
    return (
        _HEADER.format(
            name=name,
            base=options.base,
            base_q=_q(options.base),
            imports="".join(f"    {n},\n" for n in names).rstrip("\n"),
        )
        + "\n"
        + stages
        + _FOOTER.format(name_q=_q(name), where=where, stages="builder, runtime", checks=_indent(checks, 12))
    )


def imported_build_file(root: Path, options: InitOptions) -> str:
    """``dockgen import Dockerfile`` as a ``build_images.py`` (package installs become helpers)."""
    from dockgen.importer import to_python
    from dockgen.parse import parse_file

    df = parse_file(str(root / "Dockerfile"))
    return to_python(df, name=options.name, source="Dockerfile", context_dir=root.resolve())


_TASKS = '''"""invoke tasks for the images: `invoke --list` (generated by `dockgen init`)."""

from invoke.collection import Collection

from dockgen.integrations.invoke import make_collection

ns = Collection()
ns.add_collection(make_collection(file="build_images.py"), name="images")
'''

_NOXFILE = '''"""nox sessions for the images (generated by `dockgen init`): `nox -s images`."""

import nox

from dockgen.integrations import nox as dockgen_nox


@nox.session(python=False)
def images(session: nox.Session) -> None:
    dockgen_nox.render_check(session, file="build_images.py")
    dockgen_nox.lint(session, file="build_images.py")
'''

_PRE_COMMIT = """# generated by `dockgen init`: lint the declarations and keep the rendered files fresh
repos:
  - repo: local
    hooks:
      - id: dockgen-lint
        name: dockgen lint
        entry: dockgen lint
        language: system
        files: (^|/)(Dockerfile[^/]*|[^/]*\\.Dockerfile|build_images\\.py)$
        pass_filenames: false
      - id: dockgen-render-check
        name: dockgen render --check
        entry: dockgen render --check
        language: system
        files: (^|/)build_images\\.py$
        pass_filenames: false
"""


def plan_files(root: Path, options: InitOptions) -> tuple[Detected, dict[str, str]]:
    """(what was detected, relative path -> text of every file init would write)."""
    detected = detect(root, options.ecosystem)
    if detected.ecosystem == "dockerfile":
        text = imported_build_file(root, options)
    else:
        text = build_file_text(root, detected, options)
    files = {"build_images.py": text}
    if options.tasks == "invoke":
        files["tasks.py"] = _TASKS
    elif options.tasks == "nox":
        files["noxfile.py"] = _NOXFILE
    if options.pre_commit:
        files[".pre-commit-config.yaml"] = _PRE_COMMIT
    return detected, files
