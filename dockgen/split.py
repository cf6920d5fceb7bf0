"""Multi-stage split: a single stage that installs a toolchain, builds and ships the result becomes a builder
stage (the original instructions up to the last build step, ``AS builder``) and a runtime stage on the same
base that gets only what the build installed (``COPY --from=builder``), the packages that are not build tools,
and the runtime libraries of the ``-dev`` packages.

:func:`plan_split` looks at one stage and returns a :class:`Split` (the instructions of the runtime stage and
where they go) or a :class:`NoSplit` with the reason no split is offered. DG017's unsafe fix and
``dockgen import --optimize`` use it; docs/optimize.md describes what is recognised.

What the build installed is read from the build commands:

* ``make install`` / ``cmake --install`` / ``ninja install`` -> the install prefix (``./configure --prefix``,
  ``-DCMAKE_INSTALL_PREFIX``, ``make PREFIX=...``; default ``/usr/local``);
* ``gcc``/``g++``/``cc``/``clang`` ``-o FILE``, ``go build -o FILE`` -> that file; ``go install`` -> ``$GOBIN``
  or ``/root/go/bin``;
* ``cargo build --release`` -> ``target/release/<binary>`` (binary names read from ``Cargo.toml`` in the build
  context); ``cargo install --root R`` -> ``R/bin``;
* ``pip install`` -> the virtualenv it runs in (``python3 -m venv DIR``), ``--prefix``/``--target``/``--root``,
  ``--user`` (``/root/.local``), else ``/usr/local``;
* ``npm ci``/``npm install`` and builds in the source tree (``make`` without install, ``gcc`` without ``-o``,
  ``go build`` without ``-o``, ``npm run``) -> the directory the build ran in, copied whole.

Anything the split cannot account for (an unknown command before the build, a package change after it, a
``-dev`` package whose runtime library is not known, a command that runs a build tool) means no split.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from pathlib import Path

from dockgen import _record
from dockgen._record import field, record
from dockgen.ir import Dockerfile, IRInstruction, IRStage, from_info
from dockgen.shell.argv import operands, program
from dockgen.shell.packages import manager_subcommand
from dockgen.shell.run import run_commands
from dockgen.shell.syntax import Command
from dockgen.stages import env_before
from dockgen.toolchain import (
    _BUILD_PROGRAMS,
    BUILD_HELPERS,
    DEBIAN_MINBASE,
    RUNTIME_LIBRARIES,
    TOOLCHAIN,
    is_build_package,
    is_toolchain,
    package_name,
    runtime_libraries,
)

__all__ = [
    "BUILD_HELPERS",
    "DEBIAN_MINBASE",
    "RUNTIME_LIBRARIES",
    "TOOLCHAIN",
    "NoSplit",
    "Split",
    "is_build_package",
    "is_toolchain",
    "plan_split",
    "runtime_libraries",
    "split_text",
]


class NoSplit(Exception):
    """No split is offered; ``reason`` says why (shown in DG017's message)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@record(frozen=True)
class Split:
    """The plan: name the FROM ``builder``; insert ``runtime`` after ``last_build`` (the runtime stage's FROM,
    what it repeats of the instructions before the build, and the ``COPY --from`` lines); everything after
    ``last_build`` stays where it is, in the runtime stage."""

    builder: str
    from_: IRInstruction
    last_build: IRInstruction
    runtime: tuple[IRInstruction, ...]
    artifacts: tuple[str, ...]
    removed_packages: tuple[str, ...]
    runtime_packages: tuple[str, ...]


# ---- reading the stage ------------------------------------------------------------------------------------

_APT = frozenset({"apt-get", "apt", "aptitude"})
_APT_QUIET_OK = frozenset({"update", "clean", "autoclean", "autoremove"})
#: Programs that only fetch or unpack build inputs (their RUNs stay in the builder).
_FETCH = frozenset({"curl", "wget", "git", "tar", "unzip", "gunzip", "xz", "bunzip2", "sha256sum", "gpg"})
#: Programs whose RUNs are repeated in the runtime stage (users, directories, permissions).
_REPEATABLE = frozenset(
    {"useradd", "groupadd", "adduser", "addgroup", "mkdir", "chmod", "chown", "ln", "true", ":", "echo"}
)
_CC = frozenset({"gcc", "g++", "cc", "c++", "clang", "clang++"})
_CONFIGURE_PREFIX = re.compile(r"^--prefix=(.+)$")


@record
class _State:
    cwd: str
    env: dict[str, str]
    venvs: set[str] = field(default_factory=set)
    prefix: str = "/usr/local"


def _abs(cwd: str, path: str) -> str:
    return posixpath.normpath(posixpath.join(cwd, path)) if path else cwd


def _expand_home(path: str) -> str:
    if path.startswith("~/") or path == "~":
        return "/root" + path[1:]
    return path.replace("$HOME", "/root").replace("${HOME}", "/root")


def _option_value(cmd: Command, *names: str) -> str | None:
    words = [w.text for w in cmd.words]
    for i, w in enumerate(words):
        for name in names:
            if w == name and i + 1 < len(words):
                return words[i + 1]
            if name.startswith("--") and w.startswith(name + "="):
                return w.split("=", 1)[1]
            if not name.startswith("--") and w.startswith(name) and len(w) > len(name):
                return w[len(name) :]
    return None


@record
class _Outputs:
    files: list[str] = field(default_factory=list)
    trees: list[str] = field(default_factory=list)
    """Directories the build wrote in place (copied whole)."""


class _Reader:
    """Walks a stage's RUNs and records what each build command leaves behind."""

    def __init__(self, context_dir: Path | None, copies: list[tuple[str, str]]) -> None:
        self.context_dir = context_dir
        self.copies = copies  # (context source, absolute destination) of context COPYs so far
        self.out = _Outputs()
        self.venvs: set[str] = set()
        self.pip_system = False
        """pip installed into the system Python (``/usr/local``)."""

    def _context_path(self, image_dir: str) -> Path | None:
        """Where directory ``image_dir`` of the image came from in the build context (``COPY . DIR``)."""
        if self.context_dir is None:
            return None
        for src, dest in reversed(self.copies):
            if src in (".", "./") and image_dir == dest:
                return self.context_dir
            if image_dir == dest:
                return self.context_dir / src.strip("/")
        return None

    def _cargo_bins(self, cwd: str) -> list[str]:
        root = self._context_path(cwd)
        if root is None or not (root / "Cargo.toml").is_file():
            raise NoSplit(f"cargo build in {cwd}: its Cargo.toml is not in the build context")
        import tomllib

        try:
            data = tomllib.loads((root / "Cargo.toml").read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            raise NoSplit(f"cargo build in {cwd}: cannot read its Cargo.toml") from None
        bins = [
            b["name"] for b in data.get("bin", []) if isinstance(b, dict) and isinstance(b.get("name"), str)
        ]
        package = data.get("package", {})
        if (
            not bins
            and isinstance(package, dict)
            and isinstance(package.get("name"), str)
            and (root / "src" / "main.rs").is_file()
        ):
            bins = [package["name"]]
        if not bins or "workspace" in data:
            raise NoSplit(f"cargo build in {cwd}: cannot tell which binaries it builds")
        return bins

    def command(self, cmd: Command, state: _State) -> str:
        """Record ``cmd``; returns its kind: build, fetch, install, repeat or other."""
        prog, first = program(cmd)
        words = [w.text for w in cmd.words]
        if not words:  # only assignments or redirections, e.g. saved="$(apt-mark showmanual)"
            return "other"
        name = cmd.name
        if name == "cd":
            state.cwd = _abs(state.cwd, _expand_home(words[1]) if len(words) > 1 else "/root")
            return "repeat"
        found = manager_subcommand(cmd)
        if prog in _APT or (found is not None and found[0] in _APT):
            return "install"
        if name in ("configure", "./configure") or words[0].endswith("/configure"):
            for w in words[1:]:
                m = _CONFIGURE_PREFIX.match(w)
                if m:
                    state.prefix = _abs(state.cwd, m.group(1))
            return "build"
        if name == "cmake":
            for w in words[1:]:
                if w.startswith("-DCMAKE_INSTALL_PREFIX="):
                    state.prefix = _abs(state.cwd, w.split("=", 1)[1].split(":", 1)[-1])
            if "--install" in words:
                self.out.trees.append(state.prefix)
            elif "--build" not in words:
                pass  # configure step; the tree is recorded by the build
            else:
                self.out.trees.append(state.cwd)
            return "build"
        if name in ("make", "gmake", "ninja"):
            targets = [w for w in words[1:] if not w.startswith("-") and "=" not in w]
            prefix = state.prefix
            for w in words[1:]:
                if "=" in w and w.split("=", 1)[0] in ("PREFIX", "prefix"):
                    prefix = _abs(state.cwd, w.split("=", 1)[1])
                if w.startswith("DESTDIR="):
                    raise NoSplit("make install with DESTDIR: the installed paths are not known")
            directory = _option_value(cmd, "-C")
            cwd = _abs(state.cwd, directory) if directory else state.cwd
            if "install" in targets:
                self.out.trees.append(prefix)
            else:
                self.out.trees.append(cwd)
            return "build"
        if name in _CC:
            out = _option_value(cmd, "-o")
            if out is not None:
                self.out.files.append(_abs(state.cwd, out))
            else:
                self.out.trees.append(state.cwd)
            return "build"
        if name == "go":
            sub = words[1] if len(words) > 1 else ""
            if sub == "build":
                out = _option_value(cmd, "-o")
                if out is not None:
                    self.out.files.append(_abs(state.cwd, out))
                else:
                    self.out.trees.append(state.cwd)
            elif sub == "install":
                gobin = state.env.get("GOBIN") or posixpath.join(state.env.get("GOPATH", "/root/go"), "bin")
                self.out.trees.append(gobin)
            return "build"
        if name == "cargo":
            sub = words[1] if len(words) > 1 else ""
            if sub == "build":
                if "--release" not in words and "-r" not in words:
                    raise NoSplit("cargo build without --release: a debug build is not what ships")
                target = _option_value(cmd, "--target-dir") or "target"
                if "--target" in words:
                    raise NoSplit("cargo build --target: the output directory depends on the target")
                base = _abs(state.cwd, target)
                self.out.files.extend(posixpath.join(base, "release", b) for b in self._cargo_bins(state.cwd))
            elif sub == "install":
                root = _option_value(cmd, "--root") or state.env.get("CARGO_INSTALL_ROOT")
                root = root or state.env.get("CARGO_HOME") or "/root/.cargo"
                self.out.trees.append(posixpath.join(_abs(state.cwd, _expand_home(root)), "bin"))
            return "build"
        if (
            name.startswith(("python", "pypy"))
            and len(words) >= 3
            and words[1] == "-m"
            and words[2]
            in (
                "venv",
                "virtualenv",
            )
        ):
            dirs = [w for w in words[3:] if not w.startswith("-")]
            if dirs:
                self.venvs.add(_abs(state.cwd, dirs[-1]))
            return "build"
        if name in ("virtualenv",):
            dirs = [w for w in words[1:] if not w.startswith("-")]
            if dirs:
                self.venvs.add(_abs(state.cwd, dirs[-1]))
            return "build"
        if prog == "pip":
            sub = words[first] if first < len(words) else ""
            if sub != "install":
                return "build"
            target = self._pip_target(cmd, words, state)
            if target == "/usr/local":
                self.pip_system = True
            self.out.trees.append(target)
            return "build"
        if name.startswith(("python", "pypy")) and len(words) >= 3 and words[1].endswith("setup.py"):
            if "install" in words[2:]:
                self.out.trees.append("/usr/local")
            else:
                self.out.trees.append(state.cwd)
            return "build"
        if name in ("npm", "yarn", "yarnpkg", "pnpm", "node-gyp"):
            if (
                name == "npm"
                and len(words) > 1
                and words[1] in ("install", "i", "ci")
                and ("-g" in words or "--global" in words)
            ):
                self.out.trees.append("/usr/local")
            else:
                directory = _option_value(cmd, "--prefix")
                self.out.trees.append(_abs(state.cwd, directory) if directory else state.cwd)
            return "build"
        if name in ("rustc",):
            out = _option_value(cmd, "-o")
            if out is None:
                raise NoSplit("rustc without -o: the output file is not known")
            self.out.files.append(_abs(state.cwd, out))
            return "build"
        if name in _FETCH:
            return "fetch"
        if name in (
            "rm",
            "mv",
            "cp",
            "install",
            "strip",
            "sed",
            "find",
            "ldconfig",
            "test",
            "[",
            "export",
            "set",
        ):
            return "build-helper"
        if name in _REPEATABLE:
            return "repeat"
        return "other"

    def _pip_target(self, cmd: Command, words: list[str], state: _State) -> str:
        for opt in ("--prefix", "--target", "-t", "--root"):
            value = _option_value(cmd, opt)
            if value is not None:
                return _abs(state.cwd, value)
        if "--user" in words:
            return "/root/.local"
        exe = words[0]
        if "/" in exe:
            for venv in self.venvs:
                if _abs(state.cwd, exe).startswith(venv + "/"):
                    return venv
        virtual_env = state.env.get("VIRTUAL_ENV")
        if virtual_env and virtual_env in self.venvs:
            return virtual_env
        for entry in state.env.get("PATH", "").split(":"):
            for venv in self.venvs:
                if entry.rstrip("/") == venv + "/bin":
                    return venv
        return "/usr/local"


def _apt_packages(cmd: Command) -> tuple[str, list[str], list[str]] | None:
    """(subcommand, package operands, option words) of an apt-get/apt command, None if it is not one."""
    found = manager_subcommand(cmd)
    if found is None or found[0] not in _APT:
        return None
    manager, idx, sub = found
    from dockgen.shell.packages import VALUE_OPTIONS

    names = [w.text for w in operands(cmd, idx + 1, VALUE_OPTIONS.get(manager, ()))]
    options = [w.text for w in cmd.words[1:] if w.text.startswith("-")]
    return sub.text, names, options


def _mentions_build_program(ins: IRInstruction) -> str | None:
    for cmd in run_commands(ins):
        prog, _ = program(cmd)
        if prog in _BUILD_PROGRAMS or cmd.name in _BUILD_PROGRAMS:
            return prog
    return None


def _copy_sources_dest(ins: IRInstruction, cwd: str) -> tuple[list[str], str]:
    args = list(ins.args)
    if ins.heredocs or len(args) < 2:
        return [], ""
    dest = args[-1]
    return args[:-1], _abs(cwd, dest) if not dest.startswith("/") else posixpath.normpath(dest)


def _clean(ins: IRInstruction) -> IRInstruction:
    return _record.replace(ins, span=None, comments=())


def _unique_name(df: Dockerfile, wanted: str) -> str:
    names = {s.name.lower() for s in df.stages if s.name}
    name, n = wanted, 2
    while name in names:
        name, n = f"{wanted}-{n}", n + 1
    return name


def _under(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def plan_split(df: Dockerfile, stage: IRStage, context_dir: Path | None = None) -> Split:
    """The multi-stage split of ``stage`` (which must not be built FROM another stage of the file).

    Raises :class:`NoSplit` with the reason when the artifact set cannot be determined with confidence."""
    from dockgen.parse import parse_text

    if df.stage_by_ref(stage.base) is not None:
        raise NoSplit("the stage is built FROM another stage of this file")
    info = stage.info
    if "$" in info.image:
        raise NoSplit("the base image is a build argument")
    instructions = stage.instructions
    reader = _Reader(context_dir, [])
    state = _State(cwd="/", env={})
    kinds: dict[int, str] = {}
    installed: list[str] = []
    install_options: list[str] = []
    runtime_apt: dict[int, list[str]] = {}
    last_build = -1
    for i, ins in enumerate(instructions):
        kw = ins.keyword
        if kw == "WORKDIR":
            state.cwd = _abs(state.cwd, ins.args[0] if ins.args else "/")
            continue
        if kw in ("ENV", "ARG"):
            state.env.update(env_before(df, ins))
            state.env.update(ins.env_dict())
            continue
        if kw in ("COPY", "ADD"):
            if ins.flag("from") is None:
                if kw == "ADD" and any("://" in a for a in ins.args[:-1]):
                    kinds[i] = "fetch"
                    continue
                sources, dest = _copy_sources_dest(ins, state.cwd)
                reader.copies.extend((s, dest) for s in sources)
            continue
        if kw == "ONBUILD":
            raise NoSplit("ONBUILD triggers in the stage")
        if kw != "RUN":
            continue
        if ins.flag("mount") is not None and any(m.get("type") == "bind" for m in ins.mounts):
            raise NoSplit(f"RUN at line {ins.line} bind-mounts files the split cannot follow")
        cmds = run_commands(ins)
        run_state = _record.replace(state, env=dict(state.env))
        found: set[str] = set()
        packages: list[str] = []
        other = ""
        for cmd in cmds:
            apt = _apt_packages(cmd)
            if apt is not None:
                sub, names, options = apt
                if sub == "install":
                    packages.extend(names)
                    install_options.extend(o for o in options if o not in install_options)
                elif sub in ("remove", "purge", "autoremove"):
                    found.add("remove")
                elif sub not in _APT_QUIET_OK:
                    raise NoSplit(f"RUN at line {ins.line}: apt {sub} is not something the split repeats")
                found.add("install")
                continue
            kind = reader.command(cmd, run_state)
            if kind == "repeat" and any(r.op == ">>" for r in cmd.redirects):
                kind = "other"
            if kind == "other" and not other:
                other = cmd.name
            found.add(kind)
        if "$" in " ".join(packages):
            raise NoSplit(f"RUN at line {ins.line} installs packages named by variables")
        installed.extend(packages)
        if other and i < _last_build_candidate(instructions):
            raise NoSplit(f"RUN at line {ins.line} runs {other!r}, which the split cannot account for")
        if "build" in found or any(is_toolchain(p) for p in packages):
            kinds[i] = "build"
            last_build = i
        elif found <= {"install", "remove"}:
            kinds[i] = "install"
        elif "fetch" in found or "build-helper" in found:
            kinds[i] = "fetch"
        else:
            kinds[i] = "repeat"
        keep = [p for p in packages if not is_build_package(p)]
        if keep:
            runtime_apt[i] = keep
        if "remove" in found and kinds[i] != "build":
            kinds[i] = "build"
            last_build = i
    if last_build < 0:
        raise NoSplit("no build step found: nothing installs or compiles with the toolchain")
    toolchain = [p for p in installed if is_toolchain(p)]
    if not toolchain:
        raise NoSplit("no build toolchain is installed with apt in this stage")
    artifacts_files = list(dict.fromkeys(reader.out.files))
    trees = list(dict.fromkeys(reader.out.trees))
    python = (
        re.match(r"^(3\.\d+)", info.tag or "") if info.repository.rsplit("/", 1)[-1] == "python" else None
    )
    if python and reader.pip_system and "/usr/local" in trees and not _installs_prefix(instructions):
        # the python image's own interpreter lives in /usr/local: copy only what pip added to it
        at = trees.index("/usr/local")
        trees[at : at + 1] = [f"/usr/local/lib/python{python.group(1)}/site-packages", "/usr/local/bin"]
    if not artifacts_files and not trees:
        raise NoSplit("the build steps write nowhere the split can tell")
    for path in (*artifacts_files, *trees):
        if path in ("/", "/usr", "/root", "/var", "/etc", "/opt", "/home"):
            raise NoSplit(f"the build writes into {path} as a whole: copying it would copy the toolchain too")
        if "$" in path:
            raise NoSplit(f"the build output path {path} depends on a variable")
    # instructions after the last build step stay in place; none may touch packages or build again
    for ins in instructions[last_build + 1 :]:
        if ins.keyword == "RUN":
            for cmd in run_commands(ins):
                if _apt_packages(cmd) is not None:
                    raise NoSplit(f"RUN at line {ins.line} changes packages after the build")
        if ins.keyword in ("RUN", "CMD", "ENTRYPOINT", "HEALTHCHECK"):
            target = ins.sub if ins.sub is not None else ins
            prog = _mentions_build_program(target)
            if prog is not None:
                raise NoSplit(f"{ins.keyword} at line {ins.line} runs {prog}, a build tool")
    runtime_names = {package_name(p) for ps in runtime_apt.values() for p in ps}
    removed = [p for p in dict.fromkeys(package_name(p) for p in installed) if p not in runtime_names]
    libs, unknown = runtime_libraries(installed)
    if unknown:
        raise NoSplit(f"the runtime library of {', '.join(unknown)} is not known")
    libs = [lib for lib in libs if lib not in runtime_names]
    # the runtime stage: what it repeats of the instructions before the build, then the COPY --from lines
    builder = _unique_name(df, "builder")
    from_flags = "".join(f"--{f.name}={f.value} " for f in stage.from_.flags)
    lines = [f"FROM {from_flags}{info.image}" + (f" AS {info.name}" if info.name else "")]
    emitted: list[IRInstruction] = []
    cwd = "/"
    apt_done = False
    for i, ins in enumerate(instructions[: last_build + 1]):
        kw = ins.keyword
        if kw == "WORKDIR":
            cwd = _abs(cwd, ins.args[0] if ins.args else "/")
        if kw == "RUN":
            kind = kinds.get(i, "repeat")
            if i in runtime_apt or (libs and not apt_done and kind in ("install", "build")):
                pkgs = list(runtime_apt.get(i, []))
                if not apt_done:
                    pkgs.extend(libs)
                    apt_done = True
                if pkgs:
                    opts = " ".join(
                        o
                        for o in install_options
                        if o in ("-y", "--yes", "-qq", "-q", "--no-install-recommends")
                    )
                    opts = opts or "-y"
                    lines.append(
                        "RUN apt-get update && apt-get install "
                        + opts
                        + " "
                        + " ".join(pkgs)
                        + " && rm -rf /var/lib/apt/lists/*"
                    )
                continue
            if kind == "repeat":
                emitted.append(_clean(ins))
                lines.append("\0" + str(len(emitted) - 1))
            continue
        if kw in ("COPY", "ADD"):
            if ins.flag("from") is not None:
                emitted.append(_clean(ins))
                lines.append("\0" + str(len(emitted) - 1))
                continue
            if kinds.get(i) == "fetch":
                continue
            _, dest = _copy_sources_dest(ins, cwd)
            if any(_under(dest, t) or _under(t, dest) for t in trees):
                continue  # comes from the builder below, with what the build wrote into it
            emitted.append(_clean(ins))
            lines.append("\0" + str(len(emitted) - 1))
            continue
        emitted.append(_clean(ins))
        lines.append("\0" + str(len(emitted) - 1))
    # directories the build wrote in place that hold copied sources are copied whole from the builder
    copy_paths: list[str] = []
    for t in trees:
        if not any(_under(t, other) and t != other for other in trees):
            copy_paths.append(t)
    for f in artifacts_files:
        if not any(_under(f, t) for t in copy_paths):
            copy_paths.append(f)
    for path in copy_paths:
        lines.append(f"COPY --from={builder} {path} {path}")
    # parse the generated lines, then put the repeated original instructions back in their places
    parsed = list(parse_text("\n".join(lines_without_markers(lines)) + "\n").instructions)
    runtime: list[IRInstruction] = []
    it = iter(parsed)
    for line in lines:
        if line.startswith("\0"):
            runtime.append(emitted[int(line[1:])])
        else:
            runtime.append(_clean(next(it)))
    return Split(
        builder=builder,
        from_=stage.from_,
        last_build=instructions[last_build],
        runtime=tuple(runtime),
        artifacts=tuple(copy_paths),
        removed_packages=tuple(removed),
        runtime_packages=tuple(
            [*dict.fromkeys(package_name(p) for ps in runtime_apt.values() for p in ps), *libs]
        ),
    )


def _installs_prefix(instructions: Sequence[IRInstruction]) -> bool:
    """Something other than pip installs into a prefix (``make install``, ``cmake --install``...)."""
    for ins in instructions:
        if ins.keyword != "RUN":
            continue
        for cmd in run_commands(ins):
            words = [w.text for w in cmd.words]
            if cmd.name in ("make", "gmake", "ninja") and "install" in words[1:]:
                return True
            if cmd.name == "cmake" and "--install" in words:
                return True
            if (
                cmd.name.startswith(("python", "pypy"))
                and "setup.py" in " ".join(words)
                and "install" in words
            ):
                return True
    return False


def _last_build_candidate(instructions: Sequence[IRInstruction]) -> int:
    """Index of the last RUN that installs a toolchain or runs a build program (unknown commands after it are
    runtime commands, repeated as they are)."""
    last = -1
    for i, ins in enumerate(instructions):
        if ins.keyword != "RUN":
            continue
        for cmd in run_commands(ins):
            apt = _apt_packages(cmd)
            if (apt is not None and any(is_toolchain(p) for p in apt[1])) or _is_build(cmd):
                last = i
    return last


def _is_build(cmd: Command) -> bool:
    prog, _ = program(cmd)
    name = cmd.name
    return (
        prog in _BUILD_PROGRAMS
        or name in _BUILD_PROGRAMS
        or name in _CC
        or name in ("configure", "./configure", "ninja", "gmake", "rustc", "virtualenv", "yarn", "pnpm")
        or (name.startswith(("python", "pypy")) and len(cmd.words) >= 3 and cmd.words[1].text == "-m")
    )


def lines_without_markers(lines: Sequence[str]) -> list[str]:
    return [line for line in lines if not line.startswith("\0")]


def builder_from(split: Split) -> IRInstruction:
    """The FROM of the builder stage: the original one named ``split.builder``."""
    info = from_info(split.from_)
    return _record.replace(split.from_, args=(info.image, "AS", split.builder), span=split.from_.span)


def split_text(df: Dockerfile, stage: IRStage, context_dir: Path | None = None) -> str:
    """The split of ``stage`` as Dockerfile text of the two stages (for docs and tests)."""
    from dockgen.lint.fix import render

    plan = plan_split(df, stage, context_dir)
    out = [render(builder_from(plan))]
    instructions = stage.instructions
    stop = instructions.index(plan.last_build)
    out.extend(render(i) for i in instructions[: stop + 1])
    out.append("")
    out.extend(render(i) for i in plan.runtime)
    out.extend(render(i) for i in instructions[stop + 1 :])
    return "\n".join(out) + "\n"
