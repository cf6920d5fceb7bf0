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

import posixpath
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

from dockgen import _record, ir
from dockgen.dockerignore import dockerignore_entries
from dockgen.errors import DeclarationError, DockgenError
from dockgen.lower import quote_value
from dockgen.models import (
    Add,
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
    OnBuild,
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
from dockgen.package_steps import helper_steps, lone_apt_update
from dockgen.pysource import image_source
from dockgen.shell.syntax import collapse_blanks

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


def _pairs_model(cls: type[Env] | type[Label], ins: ir.IRInstruction) -> Env | Label:
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


def _arg_model(ins: ir.IRInstruction) -> Arg:
    raw = any(kv.value is not None and quote_value(ir.unquote(kv.value)) != kv.value for kv in ins.pairs)
    values = {kv.key: (kv.value if raw or kv.value is None else ir.unquote(kv.value)) for kv in ins.pairs}
    return Arg(values=values, raw=raw, extra_flags=[str(f) for f in ins.flags])


def _heredocs(ins: ir.IRInstruction) -> list[Heredoc]:
    out: list[Heredoc] = []
    for h in ins.heredocs:
        quote: Literal["", "'", '"'] = "'" if h.quote == "'" else '"' if h.quote else ""
        out.append(Heredoc(content=h.content, name=h.name, strip_tabs=h.strip_tabs, quote=quote))
    return out


def _command(ins: ir.IRInstruction) -> str | list[str]:
    if ins.form == "exec":
        return list(ins.args)
    if not ins.args:
        return ""
    return ins.args[0] if ins.heredocs else collapse_blanks(ins.args[0])


def step_from_instruction(ins: ir.IRInstruction) -> Any:
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
    from dockgen.compile import fix_dockerfile_ir
    from dockgen.lint.config import LintConfig

    return fix_dockerfile_ir(
        df, LintConfig(select=codes), unsafe=unsafe, from_declaration=False, context_dir=context_dir
    )


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
            steps = None if literal else helper_steps(instructions, idx)
            if steps is not None and lone_apt_update(ins):
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


# ---- Dockerfile -> build_images.py -------------------------------------------------------------------------


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
    return image_source(image, source or df.path or "a Dockerfile")


# ---- the documented comparison -------------------------------------------------------------------------


def semantic_form(df: ir.Dockerfile) -> ir.Dockerfile:
    """``df`` reduced to what the build sees, for comparing an import round trip.

    On top of :func:`dockgen.render.normalize`: comments dropped, instruction and ``AS`` casing unified, flags
    in a stable order (by name; same-name flags keep their order), the COPY/ADD/VOLUME word/JSON form unified,
    legacy ``ENV k v`` as ``k=v``, several ``ARG`` names on one line split, global ``ARG`` defaults unquoted.
    """
    from dockgen.render import normalize

    plain = normalize(df)

    def ins(i: ir.IRInstruction, global_: bool = False) -> ir.IRInstruction:
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
        return _record.replace(
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

    out: list[ir.IRInstruction] = []
    seen_from = False
    for i in plain.instructions:
        seen_from = seen_from or i.keyword == "FROM"
        if i.keyword == "ARG" and len(i.pairs) > 1:
            out.extend(ins(_record.replace(i, pairs=(kv,)), not seen_from) for kv in i.pairs)
        else:
            out.append(ins(i, not seen_from))
    return _record.replace(plain, instructions=tuple(out), comments=())
