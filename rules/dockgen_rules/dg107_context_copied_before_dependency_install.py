"""DG107: the whole build context is copied before the dependencies are installed."""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path

from dockgen._lazyre import lazy_compile
from dockgen._record import field, record, replace
from dockgen._static import TYPE_CHECKING
from dockgen.ir import IRInstruction, IRStage
from dockgen.lint.rule import Finding, Fix, FixAvailability, LintContext, Replace, Rule, Severity
from dockgen.shell.argv import has_flag, operands, program, subcommand
from dockgen.shell.packages import VALUE_OPTIONS
from dockgen.shell.run import run_commands
from dockgen.shell.syntax import Command
from dockgen_rules._copy import context_sources
from dockgen_rules._dockerignore import ignore_file, read_matcher

if TYPE_CHECKING:
    from typing import ClassVar

#: Manifest files to copy first, per installer.
MANIFESTS: dict[str, str] = {
    "pip": "requirements*.txt",
    "uv": "pyproject.toml and uv.lock",
    "poetry": "pyproject.toml and poetry.lock",
    "pipenv": "Pipfile and Pipfile.lock",
    "pdm": "pyproject.toml and pdm.lock",
    "npm": "package.json and package-lock.json",
    "yarn": "package.json and yarn.lock",
    "pnpm": "package.json and pnpm-lock.yaml",
    "go": "go.mod and go.sum",
    "bundle": "Gemfile and Gemfile.lock",
    "composer": "composer.json and composer.lock",
    "cargo": "Cargo.toml and Cargo.lock",
}


def dependency_install(cmd: Command) -> str | None:
    """The installer name when ``cmd`` installs dependencies from a manifest file, else None."""
    prog, first = program(cmd)
    found = subcommand(cmd, VALUE_OPTIONS.get(prog, ()), start=first)
    sub = found[1].text if found else ""
    if prog == "pip":
        if sub == "install" and has_flag(cmd, "-r", "--requirement", value_flags="r", start=first):
            return "pip"
        return None
    if prog == "uv":
        if sub == "sync":
            return "uv"
        if sub == "pip" and found is not None and has_flag(cmd, "-r", "--requirement", start=found[0]):
            return "pip"
        return None
    if prog in ("poetry", "pdm") and sub in ("install", "sync"):
        return prog
    if prog == "pipenv" and sub in ("install", "sync"):
        return None if found is None or operands(cmd, found[0] + 1) else "pipenv"
    if prog in ("npm", "pnpm") and sub in ("ci", "install", "i"):
        return None if found is None or operands(cmd, found[0] + 1) else prog
    if prog == "yarn" and (found is None or sub == "install"):
        return "yarn"
    if prog == "go" and found is not None and sub == "mod":
        rest = operands(cmd, found[0] + 1)
        return "go" if rest and rest[0].text == "download" else None
    if prog in ("bundle", "composer") and sub == "install":
        return prog
    if prog == "cargo" and sub == "fetch":
        return "cargo"
    return None


def _installer(ins: IRInstruction) -> str | None:
    for cmd in run_commands(ins):
        found = dependency_install(cmd)
        if found:
            return found
    return None


# ---- the fix: copy the manifests, install, then copy the rest ------------------------------------------------

#: Flags of the context COPY/ADD the fix may carry over to the manifest COPY.
_KEPT_FLAGS = frozenset({"chown", "chmod", "link"})

#: installer -> (required manifests, optional manifests copied when present, sources used without a context).
_FILES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "npm": (("package.json",), ("package-lock.json", "npm-shrinkwrap.json", ".npmrc"), ("package*.json",)),
    "yarn": (("package.json",), ("yarn.lock", ".yarnrc", ".yarnrc.yml", ".npmrc"), ("package.json", "yarn.lock*")),
    "pnpm": (("package.json",), ("pnpm-lock.yaml", ".npmrc"), ("package.json", "pnpm-lock.yaml*")),
    "go": (("go.mod",), ("go.sum",), ("go.mod", "go.sum*")),
    "bundle": (("Gemfile",), ("Gemfile.lock",), ("Gemfile*",)),
    "composer": (("composer.json",), ("composer.lock",), ("composer.json", "composer.lock*")),
    "poetry": (("pyproject.toml",), ("poetry.lock", "poetry.toml"), ("pyproject.toml", "poetry.lock*")),
    "uv": (("pyproject.toml",), ("uv.lock", ".python-version"), ("pyproject.toml", "uv.lock*")),
}  # fmt: skip

#: Commands that may share the install RUN: they read nothing of the build context.
_NEUTRAL = frozenset({"rm", "mkdir", "true", "echo", "apt-get", "apk", "chown", "chmod", "ln"})
_PIP_LINE_OPTS = lazy_compile(r"^(-r|--requirement|-c|--constraint)(?:\s*=?\s*)(\S+)$")
_LOCAL_REQ = lazy_compile(r"^(\.|/|~|file:)|\s@\s*file:|^[^\s:;@]*/[^\s:;@]*$")
_NPM_HOOKS = ("preinstall", "install", "postinstall", "prepare", "prepack", "preprepare", "postprepare")
_GO_LOCAL_REPLACE = lazy_compile(r"=>\s*\.{0,2}/")
_GEM_LOCAL = lazy_compile(r"^\s*gemspec\b|\bpath:|\bpath\s*=>|^\s*path\s", re.MULTILINE)
_PY_LOCAL = lazy_compile(r"\bpath\s*=|\bworkspace\b|\beditable\s*=", re.IGNORECASE)


@record
class _Plan:
    """What to copy first: context paths (of the manifests, by the directory they go to)."""

    installer: str
    files: list[str] = field(default_factory=list)  # context-relative paths, or patterns without a context
    safe: bool = True


#: What an install writes into its working directory: a copy of it from the context, copied after the
#: install, would replace the freshly installed one (before the fix the install updated the copied one).
_OUTPUTS: dict[str, tuple[str, ...]] = {
    "npm": ("node_modules",),
    "yarn": ("node_modules", ".pnp.cjs", ".yarn"),
    "pnpm": ("node_modules",),
    "uv": (".venv",),
    "poetry": (".venv",),
    "bundle": ("vendor", ".bundle"),
    "composer": ("vendor",),
}


def _outputs_shadowed(ctx: LintContext, plan: _Plan, base: str) -> bool:
    """True when the context holds (and does not ignore) what the install writes into its directory."""
    root = ctx.context_dir
    if root is None:
        return True
    path = ignore_file(ctx)
    matcher = read_matcher(path) if path is not None else None
    for name in _OUTPUTS.get(plan.installer, ()):
        rel = posixpath.join(base, name)
        if (root / rel).exists() and (matcher is None or not matcher.excluded(rel)):
            return True
    return False


def _neutral(cmd: Command) -> bool:
    prog, first = program(cmd)
    if prog in ("pip", "npm", "yarn", "pnpm", "gem") and any(
        w.text in ("cache", "config") for w in cmd.words[first : first + 1]
    ):
        return True
    if cmd.name.startswith(("python", "pypy")) and len(cmd.words) >= 3 and cmd.words[1].text == "-m":
        return cmd.words[2].text in ("venv", "virtualenv") and all(
            w.text.startswith(("/", "-")) for w in cmd.words[3:]
        )
    if cmd.name not in _NEUTRAL:
        return False
    if cmd.name in ("apt-get", "apk"):
        return True
    return all(w.text.startswith(("/", "-")) for w in cmd.args)


def _pip_args(cmd: Command) -> tuple[list[str], bool] | None:
    """The requirement/constraint files of a ``pip install -r`` (as written), and whether every other
    operand is a plain requirement; None when the install needs the project source (``.``, ``-e``)."""
    prog, first = program(cmd)
    words = [w.text for w in cmd.words[first:]]
    if prog == "uv":
        words = words[1:]  # uv pip install
    if not words or words[0] != "install":
        return None
    files: list[str] = []
    plain = True
    i = 1
    while i < len(words):
        t = words[i]
        value: str | None = None
        for short, long in (("-r", "--requirement"), ("-c", "--constraint")):
            if t in (short, long):
                value = words[i + 1] if i + 1 < len(words) else None
                i += 1
            elif t.startswith(long + "="):
                value = t[len(long) + 1 :]
            elif t.startswith(short) and len(t) > 2 and not t.startswith("--"):
                value = t[2:]
        if value is not None:
            files.append(value)
        elif t in ("-e", "--editable") or t.startswith("--editable="):
            return None
        elif t in ("-f", "--find-links"):
            plain = plain and "://" in (words[i + 1] if i + 1 < len(words) else "")
            i += 1
        elif t.startswith("-"):
            if t in VALUE_OPTIONS["pip"]:
                i += 1
        elif _LOCAL_REQ.search(t) or t.endswith((".whl", ".tar.gz", ".zip")):
            return None
        i += 1
    return files, plain


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _local_line(line: str) -> bool:
    """A requirements-file line that reads local files (editable, local find-links, a path)."""
    if line.startswith(("-e", "--editable", "-f", "--find-links")):
        return "://" not in line
    return not line.startswith("-") and bool(_LOCAL_REQ.search(line.split(";", 1)[0].strip()))


def _pip_files(root: Path, start: list[str]) -> tuple[list[str], bool] | None:
    """Every requirements file reached from ``start`` (context paths), and whether all their lines are plain
    requirements; None when one of them is missing."""
    seen: list[str] = []
    plain = True
    todo = list(start)
    while todo:
        rel = posixpath.normpath(todo.pop(0))
        if rel in seen:
            continue
        if rel.startswith("../") or rel == "..":
            return None
        text = _read(root / rel)
        if text is None:
            return None
        seen.append(rel)
        for raw in text.splitlines():
            line = raw.split(" #", 1)[0].strip()
            if not line or line.startswith("#"):
                continue
            m = _PIP_LINE_OPTS.match(line)
            if m:
                todo.append(posixpath.join(posixpath.dirname(rel), m.group(2)))
            elif _local_line(line):
                plain = False
    return seen, plain


def _manifest_safe(installer: str, root: Path, base: str) -> bool:
    """True when the manifests show the install reads nothing else of the context."""

    def text(name: str) -> str:
        return _read(root / posixpath.join(base, name)) or ""

    if installer in ("npm", "yarn", "pnpm"):
        try:
            pkg = json.loads(text("package.json"))
        except ValueError:
            return False
        if not isinstance(pkg, dict) or "workspaces" in pkg:
            return False
        scripts = pkg.get("scripts") or {}
        if not isinstance(scripts, dict) or any(h in scripts for h in _NPM_HOOKS):
            return False
        for key in ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies"):
            deps = pkg.get(key) or {}
            if not isinstance(deps, dict):
                return False
            for spec in deps.values():
                if not isinstance(spec, str) or spec.startswith(
                    ("file:", "link:", "workspace:", ".", "/", "~")
                ):
                    return False
        return (
            not (root / posixpath.join(base, ".yarn")).exists()
            and not (root / posixpath.join(base, "pnpm-workspace.yaml")).exists()
        )
    if installer == "go":
        return (
            not _GO_LOCAL_REPLACE.search(text("go.mod"))
            and not (root / posixpath.join(base, "go.work")).exists()
        )
    if installer == "bundle":
        return not _GEM_LOCAL.search(text("Gemfile"))
    if installer == "composer":
        try:
            data = json.loads(text("composer.json"))
        except ValueError:
            return False
        if (
            not isinstance(data, dict)
            or data.get("scripts")
            or data.get("autoload")
            or data.get("autoload-dev")
        ):
            return False
        repos = data.get("repositories") or []
        items = repos.values() if isinstance(repos, dict) else repos
        return all(isinstance(r, dict) and r.get("type") != "path" for r in items)
    if installer in ("poetry", "uv"):
        return not _PY_LOCAL.search(text("pyproject.toml"))
    return False


def _project_installed(installer: str, cmd: Command, root: Path | None, base: str) -> bool:
    """True when the install also builds the project itself (then it needs the source)."""
    if installer == "poetry":
        return has_flag(cmd, "--only-root") or not has_flag(cmd, "--no-root")
    if installer == "uv":
        if has_flag(cmd, "--no-install-project", "--only-dev"):
            return False
        if root is None:
            return True
        pyproject = _read(root / posixpath.join(base, "pyproject.toml")) or ""
        return "[build-system]" in pyproject or "package = true" in pyproject
    return False


def _relative(path: str, dest: str, workdir: str | None) -> str | None:
    """Where ``path`` (as the install names it) lies below ``dest`` (the COPY destination), as a context path."""
    if posixpath.isabs(path) != posixpath.isabs(dest):
        if workdir is None:
            return None
        path, dest = posixpath.join(workdir, path), posixpath.join(workdir, dest)
    path, dest = posixpath.normpath("/" + path), posixpath.normpath("/" + dest)
    rel = posixpath.relpath(path, dest)
    return None if rel == ".." or rel.startswith("../") else rel


def _workdir(stage: IRStage, before: IRInstruction) -> str | None:
    wd: str | None = None
    for ins in stage.instructions:
        if ins is before:
            break
        if ins.keyword == "WORKDIR" and ins.args:
            value = ins.args[0]
            if "$" in value:
                wd = None
            elif value.startswith("/"):
                wd = posixpath.normpath(value)
            elif wd is not None:
                wd = posixpath.normpath(posixpath.join(wd, value))
    return wd


def _plan(ctx: LintContext, stage: IRStage, copy: IRInstruction, run: IRInstruction) -> _Plan | None:
    """The manifests to copy before ``run`` (which directly follows ``copy``), or None when not fixable."""
    if run.keyword != "RUN" or run.is_exec or run.heredocs or run.flags or len(context_sources(copy)) != 1:
        return None
    if any(f.name not in _KEPT_FLAGS for f in copy.flags):
        return None
    dest = copy.args[-1]
    if "$" in dest:
        return None
    workdir = _workdir(stage, copy)
    root = ctx.context_dir
    installs = [(c, dependency_install(c)) for c in run_commands(run)]
    found = [(c, name) for c, name in installs if name is not None]
    if len(found) != 1 or any(n is None and not _neutral(c) for c, n in installs):
        return None
    cmd, installer = found[0]
    base = _relative(".", dest, workdir)  # the install's working directory, as a context path
    if base is None or "$" in run.args[0]:
        return None
    base = "" if base == "." else base
    if installer == "pip":
        parsed = _pip_args(cmd)
        if parsed is None:
            return None
        named, plain = parsed
        paths: list[str] = []
        for name in named:
            rel = _relative(name, dest, workdir)
            if rel is None or "$" in rel or any(c in rel for c in "*?["):
                return None
            paths.append(rel)
        if root is None:
            return _Plan("pip", paths, safe=False)
        reached = _pip_files(root, paths)
        if reached is None:
            return None
        files, lines_plain = reached
        return _Plan("pip", files, safe=plain and lines_plain)
    if installer not in _FILES or has_flag(
        cmd,
        "--prefix",
        "--cwd",
        "--dir",
        "-C",
        "--gemfile",
        "--working-dir",
        "-d",
        "--directory",
        "--project",
    ):
        return None
    if _project_installed(installer, cmd, root, base):
        return None
    required, optional, patterns = _FILES[installer]
    if root is None:
        return _Plan(installer, [posixpath.join(base, p) for p in patterns], safe=False)
    files = [posixpath.join(base, n) for n in required]
    if not all((root / f).is_file() for f in files):
        return None
    ignore = ignore_file(ctx)
    matcher = read_matcher(ignore) if ignore is not None else None
    for name in optional:  # an optional manifest the .dockerignore leaves out is not in the context at all
        rel = posixpath.join(base, name)
        if (root / rel).is_file() and (matcher is None or not matcher.excluded(rel)):
            files.append(rel)
    plan = _Plan(installer, files, safe=_manifest_safe(installer, root, base))
    plan.safe = plan.safe and not _outputs_shadowed(ctx, plan, base)
    return plan


def _dest_dir(dest: str, sub: str) -> str:
    """The destination directory for files of context directory ``sub`` (always ending in ``/`` or ``.``)."""
    if sub:
        return posixpath.normpath(posixpath.join(dest, sub)) + "/"
    if dest in (".", "./") or dest.endswith("/"):
        return dest
    return dest + "/"


def _builds_own_package(installer: str, root: Path, base: str) -> bool:
    """The npm install compiles the project's own native addon (``binding.gyp`` or ``"gypfile": true``): it
    reads the addon's sources, so copying only the manifests first would certainly break the build."""
    if installer not in ("npm", "yarn", "pnpm"):
        return False
    if (root / posixpath.join(base, "binding.gyp")).is_file():
        return True
    try:
        pkg = json.loads(_read(root / posixpath.join(base, "package.json")) or "")
    except ValueError:
        return False
    return isinstance(pkg, dict) and bool(pkg.get("gypfile"))


def make_fix(ctx: LintContext, stage: IRStage, copy: IRInstruction, run: IRInstruction) -> Fix | None:
    plan = _plan(ctx, stage, copy, run)
    if plan is None or not plan.files:
        return None
    if ctx.context_dir is not None and _builds_own_package(
        plan.installer, ctx.context_dir, posixpath.dirname(plan.files[0])
    ):
        return None
    if ctx.context_dir is not None:
        path = ignore_file(ctx)
        matcher = read_matcher(path) if path is not None else None
        if path is not None and matcher is None:
            return None
        if matcher is not None and any(matcher.excluded(f) for f in plan.files):
            return None
    dest = copy.args[-1]
    groups: dict[str, list[str]] = {}
    for f in plan.files:
        groups.setdefault(posixpath.dirname(f), []).append(f)
    news: list[IRInstruction] = []
    for sub, files in groups.items():
        target = _dest_dir(dest, sub)
        if target == "." and (len(files) > 1 or any(c in f for f in files for c in "*?[")):
            target = "./"
        keep = copy if not news else replace(copy, comments=(), span=None)
        news.append(replace(keep, args=(*files, target), form="words", heredocs=()))
    moved = replace(copy, comments=(), span=None)
    kind = "" if plan.safe else " (the manifests could not be checked to need nothing else of the context)"
    return Fix(
        f"copy {', '.join(plan.files)} first, install, then copy the rest{kind}",
        (
            Replace(targets=(copy,), replacement=tuple(news)),
            Replace(targets=(), replacement=(moved,), after=run),
        ),
        safe=plan.safe,
    )


class ContextCopiedBeforeDependencyInstall(Rule):
    """
    ## What it does
    Flags `COPY . <dest>` (the whole build context) followed, in the same stage, by a dependency install from a
    manifest (`pip install -r`, `uv sync`, `poetry install`, `npm ci`, `yarn install`, `go mod download`,
    `bundle install`, `composer install`, ...).

    The fix applies when the install `RUN` directly follows the `COPY` and holds nothing else that could read
    the context (`python3 -m venv /abs`, `rm`/`mkdir` of absolute paths, cache cleanups and apt/apk commands
    may share it; join consecutive `RUN`s first, DG019 does): it copies the manifests to the same destination
    with the same `--chown`/`--chmod`/`--link`, runs the install, then copies the whole context. Manifests:
    pip: every `-r`/`-c` file, and the files they include; npm: `package.json` and, when present,
    `package-lock.json`, `npm-shrinkwrap.json`, `.npmrc`; yarn: `package.json`, `yarn.lock`, `.yarnrc(.yml)`;
    pnpm: `package.json`, `pnpm-lock.yaml`; go: `go.mod`, `go.sum`; bundle: `Gemfile`, `Gemfile.lock`;
    composer: `composer.json`, `composer.lock`; poetry (`--no-root` only): `pyproject.toml`, `poetry.lock`;
    uv sync (`--no-install-project` or a project without `[build-system]`): `pyproject.toml`, `uv.lock`,
    `.python-version`. No fix when the install builds the project itself (`pip install .`, `-e .`,
    `poetry install` without `--no-root`), when it runs in another directory (`--prefix`, `--cwd`...), or when
    a manifest is missing from the context or excluded by `.dockerignore`.

    The fix is safe only when dockgen lints with the build context and can see that the install reads
    nothing but the manifests: pip requirements without `-e`, local paths, `file:` URLs or local
    `--find-links`; a `package.json` without install/prepare lifecycle scripts, workspaces or
    `file:`/`link:` dependencies; a `go.mod` without local `replace` and no `go.work`; a `Gemfile` without
    `gemspec`/`path:`; a `composer.json` without scripts, autoload or path repositories; a `pyproject.toml`
    without path/workspace dependencies; and no `node_modules`, `.venv` or `vendor` in the context that the
    final `COPY` would lay over the fresh install. Otherwise (or without a context, when the fix copies
    `package*.json`-style patterns) it is unsafe: the install would run without files it reads and fail, or
    produce a different result. One difference remains: an install that rewrites its lock file (`npm install`
    with a stale lock) leaves the context's version in the image. There is no fix when the context shows that
    the npm install compiles the project's own native addon (`binding.gyp`, `"gypfile": true`): it reads the
    addon's sources, so the reordered build would certainly fail.

    ## Why is this bad?
    Any change to any file of the context invalidates the `COPY` layer and therefore the dependency install
    after it, so every code edit re-downloads every dependency. Copy the manifest files first, install, then
    copy the rest: the install layer is then reused until the manifest changes.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    WORKDIR /app
    COPY . .
    RUN pip install --no-cache-dir -r requirements.txt
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    WORKDIR /app
    COPY requirements.txt .
    RUN pip install --no-cache-dir -r requirements.txt
    COPY . .
    ```

    The examples are linted with a build context holding `requirements.txt` (`flask==3.0.3`) and `app.py`.

    ## References
    - https://docs.docker.com/build/cache/optimize/#order-your-layers
    """

    code = "DG107"
    name = "context-copied-before-dependency-install"
    reads_context = True
    severity = Severity.WARNING
    message = "whole context copied before the dependency install"
    fix_availability = FixAvailability.SOMETIMES
    example_context: ClassVar[dict[str, str]] = {
        "requirements.txt": "flask==3.0.3\n",
        "app.py": "print('hi')\n",
    }

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for stage in ctx.stages:
            copied: IRInstruction | None = None
            installed_before: set[str] = set()
            for ins in stage.instructions:
                if ins.keyword in ("COPY", "ADD") and copied is None and "" in context_sources(ins):
                    copied = ins
                    continue
                if ins.keyword != "RUN":
                    continue
                found = _installer(ins)
                if found is None:
                    continue
                if copied is None:
                    installed_before.add(found)
                    continue
                if found in installed_before:
                    continue
                fix = None
                at = stage.instructions.index(copied)
                if at + 1 < len(stage.instructions) and stage.instructions[at + 1] is ins:
                    fix = make_fix(ctx, stage, copied, ins)
                yield self.finding(
                    copied,
                    f"{copied.keyword} of the whole context before the {found} install on line {ins.line}: "
                    f"copy {MANIFESTS[found]} first, install, then copy the rest",
                    fix=fix,
                )
                break
