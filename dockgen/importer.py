"""Dockerfile IR -> Python declarations: what ``dockgen import`` prints.

The result is a complete ``build_images.py`` using ``from dockgen import ...``. Rendering it again gives a
Dockerfile with the same semantics; :func:`semantic_form` is the comparison used by the tests and documented in
docs/rendering.md. What the import does not carry over (all without effect on the build):

* comments above ``FROM`` and above global ``ARG``s, and free-standing comments (comments directly above other
  instructions become ``Comment`` steps);
* instruction casing, ``FROM ... as`` casing, flag order, JSON vs word form of COPY/ADD/VOLUME, the legacy
  ``ENV key value`` form (written as ``key=value``), several global ``ARG`` names on one line (one per line),
  quoting of global ``ARG`` defaults, and blanks inside shell commands.

Flags dockgen does not model (or values its models reject, such as ``--chmod=$MODE``) are kept verbatim in
``extra_flags``; ``ENV``/``LABEL``/``ARG`` values whose quoting dockgen would write differently use ``raw=True``.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from dockgen import ir
from dockgen.dockerignore import dockerignore_entries
from dockgen.errors import DeclarationError, DockgenError
from dockgen.lower import quote_value
from dockgen.models import (
    Add,
    Apk,
    Apt,
    Arg,
    BindMount,
    CacheMount,
    Cmd,
    Comment,
    Copy,
    Entrypoint,
    Env,
    Expose,
    Healthcheck,
    Heredoc,
    Image,
    Label,
    Maintainer,
    Npm,
    OnBuild,
    Pip,
    Run,
    SecretMount,
    Shell,
    SshMount,
    Stage,
    StopSignal,
    TmpfsMount,
    User,
    Volume,
    Workdir,
)
from dockgen.models.instructions import _Mount
from dockgen.render import collapse_blanks
from dockgen.shell import Command, commands

__all__ = ["image_from_dockerfile", "image_name_for", "semantic_form", "to_python"]

_MOUNT_TYPES: dict[str, type[_Mount]] = {
    "cache": CacheMount,
    "bind": BindMount,
    "secret": SecretMount,
    "ssh": SshMount,
    "tmpfs": TmpfsMount,
}


def image_name_for(path: str | None) -> str:
    """A valid image name from a Dockerfile path: ``api.Dockerfile`` -> ``api``; ``web/Dockerfile`` -> ``web``."""
    name = ""
    if path:
        base = posixpath.basename(path.replace("\\", "/"))
        stem = base[: -len(".Dockerfile")] if base.lower().endswith(".dockerfile") else ""
        if not stem and base.lower().startswith("dockerfile."):
            stem = base.split(".", 1)[1]
        name = stem or posixpath.basename(posixpath.dirname(posixpath.abspath(path.replace("\\", "/"))))
    name = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return name or "app"


# ---- IR -> models --------------------------------------------------------------------------------------


def _try(build: Callable[..., Any], kwargs: dict[str, Any], movable: dict[str, str]) -> Any:
    """Build a model; when it rejects a modelled flag value, keep that flag verbatim in ``extra_flags``."""
    try:
        return build(**kwargs)
    except DeclarationError:
        if not movable:
            raise
    extra = list(kwargs.get("extra_flags", []))
    for field, flag in movable.items():
        kwargs.pop(field, None)
        extra.append(flag)
    kwargs["extra_flags"] = extra
    return build(**kwargs)


def _flag_text(flag: ir.Flag) -> str:
    return str(flag)


def _mount(value: str) -> _Mount | str:
    """A typed mount when it renders back to exactly ``value``; else the raw string."""
    fields = ir.parse_mount(value)
    cls = _MOUNT_TYPES.get(fields.pop("type", "bind"))
    if cls is None:
        return value
    data: dict[str, Any] = {}
    for key, val in fields.items():
        name = "from_" if key == "from" else key
        if name not in cls.model_fields:
            return value
        data[name] = val
    try:
        mount = cls.model_validate(data)
    except Exception:
        return value
    return mount if mount.flag_value() == value else value


def _pairs_model(cls: type[Env] | type[Label], ins: ir.Instruction) -> Env | Label:
    values: dict[str, str] = {}
    raw = False
    for kv in ins.pairs:
        text = kv.value or ""
        if ins.legacy or quote_value(ir.unquote(text)) == text:
            values[kv.key] = ir.unquote(text)
        else:
            raw = True
    if raw:
        values = {kv.key: kv.value or "" for kv in ins.pairs}
    return cls(values=values, raw=raw, extra_flags=[str(f) for f in ins.flags])


def _arg_model(ins: ir.Instruction) -> Arg:
    raw = any(kv.value is not None and quote_value(ir.unquote(kv.value)) != kv.value for kv in ins.pairs)
    values = {kv.key: (kv.value if raw or kv.value is None else ir.unquote(kv.value)) for kv in ins.pairs}
    return Arg(values=values, raw=raw, extra_flags=[str(f) for f in ins.flags])


def _heredocs(ins: ir.Instruction) -> list[Heredoc]:
    out: list[Heredoc] = []
    for h in ins.heredocs:
        quote: Literal["", "'", '"'] = "'" if h.quote == "'" else '"' if h.quote else ""
        out.append(Heredoc(content=h.content, name=h.name, strip_tabs=h.strip_tabs, quote=quote))
    return out


def _command(ins: ir.Instruction) -> str | list[str]:
    if ins.form == "exec":
        return list(ins.args)
    if not ins.args:
        return ""
    return ins.args[0] if ins.heredocs else collapse_blanks(ins.args[0])


def step_from_instruction(ins: ir.Instruction) -> Any:
    """The declaration model of one IR instruction (not FROM)."""
    kw = ins.keyword
    flags = list(ins.flags)
    if kw == "RUN":
        run: dict[str, Any] = {
            "command": _command(ins),
            "heredocs": _heredocs(ins),
            "mounts": [],
            "extra_flags": [],
        }
        movable: dict[str, str] = {}
        for f in flags:
            if f.name == "mount" and f.value is not None:
                run["mounts"].append(_mount(f.value))
            elif f.name in ("network", "security") and f.value is not None and f.name not in run:
                run[f.name] = f.value
                movable[f.name] = str(f)
            else:
                run["extra_flags"].append(str(f))
        return _try(Run, run, movable)
    if kw in ("COPY", "ADD"):
        data: dict[str, Any] = {"src": list(ins.args[:-1]), "dest": ins.args[-1] if ins.args else None}
        data["heredocs"] = _heredocs(ins)
        data["extra_flags"] = []
        movable = {}
        simple = {"chown": "chown", "chmod": "chmod", "checksum": "checksum"}
        if kw == "COPY":
            simple["from"] = "from_"
        for f in flags:
            field = simple.get(f.name)
            if field is not None and f.value is not None and field not in data:
                data[field] = f.value
                movable[field] = str(f)
            elif f.name in ("link", "parents") and f.value is None and (kw == "COPY" or f.name == "link"):
                data[f.name] = True
                movable[f.name] = str(f)
            elif f.name in ("keep-git-dir", "unpack") and kw == "ADD" and f.value in ("true", "false"):
                field = f.name.replace("-", "_")
                data[field] = f.value == "true"
                movable[field] = str(f)
            elif f.name == "exclude" and f.value is not None:
                data.setdefault("exclude", []).append(f.value)
            else:
                data["extra_flags"].append(str(f))
        if "exclude" in data:
            movable["exclude"] = " ".join(f"--exclude={e}" for e in data["exclude"])
        if "exclude" in movable:  # exclude may repeat: keep it modelled unless the model rejects it
            movable.pop("exclude")
        return _try(Copy if kw == "COPY" else Add, data, movable)
    if kw == "ENV":
        return _pairs_model(Env, ins)
    if kw == "LABEL":
        return _pairs_model(Label, ins)
    if kw == "ARG":
        return _arg_model(ins)
    extra = [str(f) for f in flags]
    if kw == "WORKDIR":
        return Workdir(path=ins.args[0], extra_flags=extra)
    if kw == "USER":
        return User(user=ins.args[0], extra_flags=extra)
    if kw == "STOPSIGNAL":
        return StopSignal(signal=ins.args[0], extra_flags=extra)
    if kw == "MAINTAINER":
        return Maintainer(name=ins.args[0], extra_flags=extra)
    if kw == "EXPOSE":
        return Expose(ports=list(ins.args), extra_flags=extra)
    if kw == "VOLUME":
        return Volume(paths=list(ins.args), extra_flags=extra)
    if kw == "CMD":
        return Cmd(command=_command(ins), extra_flags=extra)
    if kw == "ENTRYPOINT":
        return Entrypoint(command=_command(ins), extra_flags=extra)
    if kw == "SHELL":
        return Shell(argv=list(ins.args), extra_flags=extra)
    if kw == "HEALTHCHECK":
        if ins.sub is None:
            return Healthcheck(disable=True, extra_flags=extra)
        hc: dict[str, Any] = {"command": _command(ins.sub), "extra_flags": []}
        movable = {}
        for f in flags:
            field = f.name.replace("-", "_")
            if (
                field in ("interval", "timeout", "start_period", "start_interval", "retries")
                and f.value is not None
            ) and field not in hc:
                hc[field] = f.value
                movable[field] = str(f)
                continue
            hc["extra_flags"].append(str(f))
        return _try(Healthcheck, hc, movable)
    if kw == "ONBUILD":
        assert ins.sub is not None
        return OnBuild(instruction=step_from_instruction(ins.sub), extra_flags=extra)
    raise DockgenError(f"cannot import a {kw} instruction here")  # pragma: no cover - FROM handled by caller


# ---- package-manager helpers ------------------------------------------------------------------------------
#
# A RUN whose commands are exactly what a helper expands to (up to what the optimizer adds anyway: the list
# cleanup, --no-cache-dir, npm's cache clean) becomes the helper; a recognised install at the start of an
# `&&` chain becomes the helper plus a Run of the rest. Anything else stays a plain Run.

_APT_YES = frozenset({"-y", "--yes", "--assume-yes", "-qy", "-yq", "-qqy", "-yqq"})
_APT_QUIET = frozenset({"-q", "-qq", "--quiet"})
_LISTS_RM = ("rm", "-rf", "/var/lib/apt/lists/*")
_PKG_RE = re.compile(r"[A-Za-z0-9@_][A-Za-z0-9@_.+:/~<>=!*,\[\]^-]*")


def _words(cmd: Command) -> list[str] | None:
    """The argv of a plain command (no redirections, wrappers or quoting that changed the text)."""
    if cmd.redirects or cmd.prefixes or cmd.depth:
        return None
    return [w.text for w in cmd.words]


def _apt_install(cmd: Command) -> tuple[list[str], bool] | None:
    """(packages, recommends) of ``apt-get install -y [--no-install-recommends] pkgs``, else None."""
    words = _words(cmd)
    if words is None or cmd.assignments not in ((), (("DEBIAN_FRONTEND", "noninteractive"),)):
        return None
    if len(words) < 3 or words[0] not in ("apt-get", "apt") or words[1] != "install":
        return None
    yes = False
    recommends = True
    pkgs: list[str] = []
    for w in words[2:]:
        if w in _APT_YES:
            yes = True
        elif w == "--no-install-recommends":
            recommends = False
        elif w in _APT_QUIET:
            continue
        elif w.startswith("-") or not _PKG_RE.fullmatch(w):
            return None
        else:
            pkgs.append(w)
    return (pkgs, recommends) if yes and pkgs else None


def _is(cmd: Command, *argv: str) -> bool:
    return _words(cmd) == list(argv) and not cmd.assignments


def _is_apt_update(cmd: Command) -> bool:
    words = _words(cmd)
    return not cmd.assignments and words in (
        ["apt-get", "update"],
        ["apt", "update"],
        ["apt-get", "-q", "update"],
    )


def _apt_step(cmds: list[Command], update_before: bool) -> tuple[Apt, int] | None:
    """An Apt helper for the first commands of ``cmds``, and how many commands it covers."""
    i = 0
    update = update_before
    if i < len(cmds) and _is_apt_update(cmds[i]):
        update, i = True, i + 1
    if i >= len(cmds):
        return None
    found = _apt_install(cmds[i])
    if found is None:
        return None
    i += 1
    while i < len(cmds) and (_is(cmds[i], *_LISTS_RM) or _is(cmds[i], "apt-get", "clean")):
        i += 1
    pkgs, recommends = found
    try:
        return Apt(packages=pkgs, recommends=recommends, update=update), i
    except ValueError:
        return None


def _apk_step(cmds: list[Command]) -> tuple[Apk, int] | None:
    words = _words(cmds[0])
    if words is None or cmds[0].assignments or words[:3] != ["apk", "add", "--no-cache"]:
        return None
    pkgs = words[3:]
    if not pkgs or any(p.startswith("-") or not _PKG_RE.fullmatch(p) for p in pkgs):
        return None
    try:
        return Apk(packages=pkgs), 1
    except ValueError:
        return None


def _pip_step(cmds: list[Command]) -> tuple[Pip, int] | None:
    i = 0
    venv: tuple[str, str] | None = None
    first = _words(cmds[0])
    if (
        first is not None
        and len(cmds) > 1
        and len(first) == 4
        and first[0] in ("python3", "python")
        and first[1:3] == ["-m", "venv"]
        and first[3].startswith("/")
        and not cmds[0].assignments
    ):
        venv, i = (first[0], first[3].rstrip("/")), 1
    words = _words(cmds[i])
    if words is None or cmds[i].assignments or "install" not in words:
        return None
    at = words.index("install")
    pip = " ".join(words[:at])
    if pip not in ("pip", "pip3", "python3 -m pip", "python -m pip") and not (
        at == 1 and posixpath.basename(words[0]) in ("pip", "pip3") and words[0].startswith("/")
    ):
        return None
    reqs: list[str] = []
    pkgs: list[str] = []
    rest = words[at + 1 :]
    j = 0
    while j < len(rest):
        w = rest[j]
        if w in ("-r", "--requirement") and j + 1 < len(rest):
            reqs.append(rest[j + 1])
            j += 2
            continue
        if w == "--no-cache-dir":
            pass
        elif w.startswith("-") or not _PKG_RE.fullmatch(w) or w.startswith((".", "/")) or "/" in w:
            return None
        else:
            pkgs.append(w)
        j += 1
    data: dict[str, Any] = {"packages": pkgs, "requirements": reqs}
    if venv is not None:
        if pip != f"{venv[1]}/bin/pip":
            return None
        data["venv"], data["python"] = venv[1], venv[0]
    elif pip != "pip":
        data["pip"] = pip
    try:
        return Pip(**data), i + 1
    except ValueError:
        return None


def _npm_step(cmds: list[Command]) -> tuple[Npm, int] | None:
    words = _words(cmds[0])
    if words is None or cmds[0].assignments or words[:1] != ["npm"]:
        return None
    if words[1:] in (["ci"], ["ci", "--omit=dev"], ["install"], ["install", "--omit=dev"]):
        n = 1
        if len(cmds) > 1 and _is(cmds[1], "npm", "cache", "clean", "--force"):
            n = 2
        return Npm(ci=words[1] == "ci", omit_dev="--omit=dev" in words), n
    return None


_APT_USERS = frozenset(
    {"install", "upgrade", "dist-upgrade", "full-upgrade", "build-dep", "source", "download"}
)


def _relies_on_lists(ins: ir.Instruction) -> bool:
    """A RUN that installs with apt without updating the lists first."""
    if ins.keyword != "RUN":
        return False
    words = [[w.text for w in c.words] for c in commands(ins.command)]
    apt = [w for w in words if w and w[0] in ("apt-get", "apt")]
    return any(_APT_USERS & set(w) for w in apt) and not any("update" in w for w in apt)


def package_steps(ins: ir.Instruction, later: list[ir.Instruction], update_before: bool) -> list[Any] | None:
    """Helper (+ Run of the rest) for a recognised package install in ``ins``, or None to keep it a Run.

    ``later``: the following instructions of the stage (an apt install there that relies on these package
    lists keeps the Run); ``update_before``: the previous RUN was a lone ``apt-get update`` (merged here).
    """
    if ins.keyword != "RUN" or ins.flags or ins.heredocs or ins.is_exec or not ins.args:
        return None
    text = ins.args[0]
    cmds = list(commands(text))
    if not cmds or any(c.op not in ("&&", "") for c in cmds) or "#" in text or "\\" in text:
        return None
    found: tuple[Any, int] | None = None
    head = cmds[0].words[0].text if cmds[0].words else ""
    if head in ("apt-get", "apt"):
        found = _apt_step(cmds, update_before)
        if found is not None and any(_relies_on_lists(x) for x in later):
            return None  # a later install relies on these lists: the helper would remove them
    elif head == "apk":
        found = _apk_step(cmds)
    elif head == "npm":
        found = _npm_step(cmds)
    else:
        found = _pip_step(cmds)
    if found is None:
        return None
    helper, n = found
    if update_before and not isinstance(helper, Apt):
        return None
    if n == len(cmds):
        return [helper]
    rest = cmds[n:]
    if any(c.words and c.words[0].text in ("apt-get", "apt") for c in rest):
        return None
    tail = text[rest[0].start :].strip()
    return [helper, Run(command=collapse_blanks(tail))]


def _lone_apt_update(ins: ir.Instruction) -> bool:
    if ins.keyword != "RUN" or ins.flags or ins.heredocs or ins.is_exec or not ins.args:
        return False
    cmds = commands(ins.args[0])
    return len(cmds) == 1 and _is_apt_update(cmds[0])


def _helper_steps(instructions: tuple[ir.Instruction, ...], idx: int) -> list[Any] | None:
    """Helper steps for ``instructions[idx]`` (for a lone ``apt-get update``: with the next RUN), or None."""
    later: list[ir.Instruction] = []
    for nxt in instructions[idx + 1 :]:
        if nxt.keyword == "FROM":
            break
        later.append(nxt)
    ins = instructions[idx]
    if _lone_apt_update(ins):
        if not later or later[0].keyword != "RUN":
            return None
        steps = package_steps(later[0], later[1:], True)
        return steps if steps and isinstance(steps[0], Apt) else None
    return package_steps(ins, later, False)


#: Safe fixes applied before helpers are recognised (with the build context known): join consecutive RUNs,
#: move a lone update into its install, copy dependency manifests before the install (needs the context).
_PRE_FIXES = ("DG019", "DG038", "DG107")


#: Unsafe rewrites ``--optimize`` applies first: the multi-stage split (DG017), removing build packages with
#: their dependencies (DG055), the official slim variant of the base image (DG056).
OPTIMIZE_FIXES = ("DG017", "DG055", "DG056")


def _prefixed(
    df: ir.Dockerfile, context_dir: Path, codes: tuple[str, ...] = _PRE_FIXES, *, unsafe: bool = False
) -> ir.Dockerfile:
    """``df`` with the fixes of ``codes`` applied (safe ones unless ``unsafe``), checked against the context."""
    from dockgen.lint.config import LintConfig
    from dockgen.lint.engine import lint_dockerfile
    from dockgen.lint.fix import MAX_ROUNDS, apply_fixes_ir, choose_fixes

    config = LintConfig(select=codes)
    for _ in range(MAX_ROUNDS):
        findings = lint_dockerfile(df, config, context_dir)
        chosen = choose_fixes(df, findings, unsafe=unsafe)
        if not chosen:
            break
        df = apply_fixes_ir(df, chosen)
    return df


def image_from_dockerfile(
    df: ir.Dockerfile,
    *,
    name: str | None = None,
    literal: bool = False,
    context_dir: Path | None = None,
    dockerignore: Sequence[str] = (),
    optimize: bool = False,
) -> Image:
    """The :class:`Image` declaration equivalent to a parsed Dockerfile.

    Recognised package installs become ``Apt``/``Apk``/``Pip``/``Npm`` helpers (see :func:`package_steps`);
    ``literal=True`` keeps every ``RUN`` a plain ``Run``. With ``context_dir`` (and not ``literal``), the safe
    fixes that need the build context are applied first (see :data:`_PRE_FIXES`); ``optimize=True`` then also
    applies the optimizer's unsafe rewrites (:data:`OPTIMIZE_FIXES`: the multi-stage split and its kin).
    """
    if context_dir is not None and not literal:
        df = _prefixed(df, context_dir)
        if optimize:
            df = _prefixed(df, context_dir, OPTIMIZE_FIXES, unsafe=True)
    name = name or image_name_for(df.path)
    directives = {d.name: d.value for d in df.directives}
    syntax = directives.pop("syntax", None)
    args: dict[str, str | None] = {}
    stages: list[Stage] = []
    current: dict[str, Any] | None = None

    def close() -> None:
        if current is not None:
            stages.append(Stage(**current))

    instructions = df.instructions
    skip: set[int] = set()
    for idx, ins in enumerate(instructions):
        if idx in skip:
            continue
        where = f"{df.path or '<input>'}:{ins.line}" if ins.span else (df.path or "<input>")
        try:
            if ins.keyword == "FROM":
                close()
                info = ir.from_info(ins)
                current = {"name": info.name, "base": info.image, "platform": info.platform, "steps": []}
                continue
            if current is None:
                if ins.keyword != "ARG":
                    raise DockgenError(f"{ins.keyword} before the first FROM cannot be declared")
                for kv in ins.pairs:
                    args[kv.key] = None if kv.value is None else ir.unquote(kv.value)
                continue
            current["steps"].extend(Comment(text=c.text) for c in ins.comments)
            steps = None if literal else _helper_steps(instructions, idx)
            if steps is not None and _lone_apt_update(ins):
                skip.add(idx + 1)
                current["steps"].extend(Comment(text=c.text) for c in instructions[idx + 1].comments)
            current["steps"].extend(steps or [step_from_instruction(ins)])
        except DockgenError as exc:
            raise DeclarationError(
                f"{where}: cannot import {ins.keyword}: {getattr(exc, 'reason', exc.message)}",
                hint="declare this instruction by hand, or report the Dockerfile construct",
            ) from None
    close()
    if not stages:
        raise DeclarationError(f"{df.path or '<input>'}: no FROM instruction: nothing to import")
    data: dict[str, Any] = {
        "name": name,
        "stages": stages,
        "args": args,
        "syntax": syntax,
        "directives": directives,
    }
    if df.path:
        base = posixpath.basename(df.path.replace("\\", "/"))
        if base != "Dockerfile":
            data["dockerfile"] = base
    if dockerignore:
        defaults = set(dockerignore_entries())
        data["dockerignore"] = [p for p in dict.fromkeys(dockerignore) if p not in defaults]
    try:
        return Image(**data)
    except DeclarationError as exc:
        raise DeclarationError(
            f"{df.path or '<input>'}: cannot import: {getattr(exc, 'reason', exc.message)}",
            hint="BuildKit would reject this Dockerfile too; fix it first",
        ) from None


# ---- models -> Python source ---------------------------------------------------------------------------

_LINE = 100
#: list fields that accept a single item (written without the list when they have one)
_SINGLE = frozenset({"src", "paths", "ports"})


def _str(text: str) -> str:
    if (
        "\n" in text
        and text.endswith("\n")
        and '"""' not in text
        and "\\" not in text
        and not text.endswith('"')
    ) and all(c.isprintable() or c == "\n" for c in text):
        return '"""\\\n' + text + '"""'
    if '"' not in text and "\\" not in text and text.isprintable():
        return f'"{text}"'
    return repr(text)


def _expr(value: Any, indent: int) -> str:
    if isinstance(value, BaseModel):
        return _model(value, indent)
    if isinstance(value, str):
        return _str(value)
    if isinstance(value, list | tuple):
        items = [_expr(v, indent + 4) for v in value]
        return _wrap("[", items, "]", indent)
    if isinstance(value, dict):
        items = [f"{_expr(k, indent + 4)}: {_expr(v, indent + 4)}" for k, v in value.items()]
        return _wrap("{", items, "}", indent)
    return repr(value)


def _wrap(open_: str, items: list[str], close: str, indent: int) -> str:
    one = open_ + ", ".join(items) + close
    if len(one) + indent <= _LINE and "\n" not in one:
        return one
    pad = " " * (indent + 4)
    return open_ + "\n" + "".join(f"{pad}{item},\n" for item in items) + " " * indent + close


def _model(model: BaseModel, indent: int) -> str:
    cls = type(model)
    fields = cls.model_fields
    positional: tuple[str, ...] = getattr(cls, "_positional", ())
    parts: list[tuple[str, Any]] = []
    for field_name, info in fields.items():
        value = getattr(model, field_name)
        if field_name in ("kind", "type"):
            continue
        if not info.is_required() and value == info.get_default(call_default_factory=True):
            continue
        parts.append((field_name, value))
    args: list[str] = []
    if isinstance(model, Arg):
        items = list(model.values.items())
        if len(items) == 1:
            key, default = items[0]
            args.append(_str(key))
            if default is not None:
                args.append(_str(default))
        else:
            args.append(_expr(model.values, indent + 4))
        parts = [p for p in parts if p[0] != "values"]
        positional = ()
    for i, (field_name, value) in enumerate(parts):
        use_position = i < len(positional) and positional[i] == field_name and len(args) == i
        if (
            field_name in _SINGLE
            and isinstance(value, list)
            and len(value) == 1
            and isinstance(value[0], str | int)
        ):
            value = value[0]
        text = _expr(value, indent + 4)
        args.append(text if use_position else f"{field_name}={text}")
    return _wrap(f"{cls.__name__}(", args, ")", indent)


def to_python(
    df: ir.Dockerfile,
    *,
    name: str | None = None,
    source: str | None = None,
    literal: bool = False,
    context_dir: Path | None = None,
    dockerignore: Sequence[str] = (),
    optimize: bool = False,
) -> str:
    """A complete, runnable ``build_images.py`` declaring the image of ``df`` (``literal``: no helpers;
    ``dockerignore``: the project's own ``.dockerignore`` patterns, carried into the declaration;
    ``optimize``: after the optimizer's unsafe rewrites)."""
    image = image_from_dockerfile(
        df,
        name=name,
        literal=literal,
        context_dir=context_dir,
        dockerignore=dockerignore,
        optimize=optimize,
    )
    body = _model(image, 4)
    used = sorted(set(re.findall(r"\b([A-Z][A-Za-z]+)\(", body)))
    origin = source or df.path or "a Dockerfile"
    return (
        f'"""Image declarations for "{image.name}", imported from {origin} by `dockgen import`.\n\n'
        "Review it, then run `python build_images.py render --take-over` to write the Dockerfile again\n"
        "(--take-over: the first render replaces the hand-written Dockerfile and .dockerignore).\n"
        '"""\n\n'
        "import dockgen\n"
        f"from dockgen import {', '.join(used)}\n\n"
        f"images = [\n    {body},\n]\n\n"
        'if __name__ == "__main__":\n'
        "    raise SystemExit(dockgen.main(images))\n"
    )


# ---- the documented comparison -------------------------------------------------------------------------


def semantic_form(df: ir.Dockerfile) -> ir.Dockerfile:
    """``df`` reduced to what the build sees, for comparing an import round trip.

    On top of :func:`dockgen.render.normalize`: comments dropped, instruction and ``AS`` casing unified, flags
    in a stable order (by name; same-name flags keep their order), the COPY/ADD/VOLUME word/JSON form unified,
    legacy ``ENV k v`` as ``k=v``, several ``ARG`` names on one line split, global ``ARG`` defaults unquoted.
    """
    from dockgen.render import normalize

    plain = normalize(df)

    def ins(i: ir.Instruction, global_: bool = False) -> ir.Instruction:
        args = i.args
        if i.keyword == "FROM" and len(args) == 3:
            args = (args[0], "AS", args[2])
        form = i.form
        if i.keyword in ("COPY", "ADD", "VOLUME"):
            form = "words"
        pairs = i.pairs
        if i.legacy:
            pairs = tuple(ir.KeyValue(kv.key, quote_value(ir.unquote(kv.value or ""))) for kv in pairs)
        if global_:
            pairs = tuple(ir.KeyValue(kv.key, kv.unquoted) for kv in pairs)
        return dataclasses.replace(
            i,
            args=args,
            form=form,
            pairs=pairs,
            legacy=False,
            comments=(),
            original="",
            flags=tuple(sorted(i.flags, key=lambda f: f.name)),
            sub=ins(i.sub) if i.sub is not None else None,
        )

    out: list[ir.Instruction] = []
    seen_from = False
    for i in plain.instructions:
        seen_from = seen_from or i.keyword == "FROM"
        if i.keyword == "ARG" and len(i.pairs) > 1:
            out.extend(ins(dataclasses.replace(i, pairs=(kv,)), not seen_from) for kv in i.pairs)
        else:
            out.append(ins(i, not seen_from))
    return dataclasses.replace(plain, instructions=tuple(out), comments=())
