"""Declarations -> IR: ``lower(image)`` turns an :class:`~dockgen.models.Image` into an :class:`ir.Dockerfile`.

The IR is the same one the parser produces, so lint rules, the renderer and the builder see declarations and
hand-written Dockerfiles alike. Lowering is deterministic and decides nothing the declaration does not say,
except for these documented conventions:

* directives: ``syntax`` first, then ``directives`` in the given order; then ``Image.args`` as global ``ARG``s;
* per stage: ``FROM``, ``WORKDIR`` (``Stage.workdir``), the steps (helpers expanded to their ``RUN``),
  ``USER`` (``Stage.user``); a system package helper (``Apt``, ``Apk``, ``Dnf``/``Yum``) in a stage that runs
  as a non-root user at that point (a ``User`` step, or the user of the project stage or image it is built
  ``FROM``) is wrapped in ``USER root`` ... ``USER <that user>``; ``Image.labels`` become one ``LABEL`` at the end of the final stage;
* ``Comment`` steps attach to the next instruction (as comments directly above it);
* values of ``ENV``/``LABEL``/``ARG`` are written bare when safe and double-quoted otherwise (``$VAR``
  references still expand); ``raw=True`` writes them verbatim;
* ``COPY``/``ADD``/``VOLUME`` use words unless an argument contains whitespace (then the JSON form);
* a stage built FROM another project image uses ``base_overrides[name]`` when given (the builder passes the
  digest it just built), else the image's default reference (``Image.reference()``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from dockgen import _record, ir
from dockgen.models import (
    Add,
    Arg,
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
    Shell,
    Stage,
    StopSignal,
    User,
    Volume,
    Workdir,
)
from dockgen.models._base import declared_at
from dockgen.models.packages import Apk, Apt, Dnf, _Helper

__all__ = ["lower", "lower_instruction", "quote_value"]

_SAFE_VALUE_RE = re.compile(r"[A-Za-z0-9_./:@%+,=${}~^*!?-]+")


def quote_value(value: str, escape: str = "\\") -> str:
    """An ENV/LABEL/ARG value as a Dockerfile word: bare when safe, else double-quoted (``$`` still expands)."""
    if _SAFE_VALUE_RE.fullmatch(value) and not value.startswith(("!", "?")):
        return value
    body = value.replace(escape, escape + escape).replace('"', escape + '"')
    return f'"{body}"'


def _flag(text: str) -> ir.Flag:
    name, sep, value = text[2:].partition("=")
    return ir.Flag(name, value if sep else None)


def _needs_json(words: list[str]) -> bool:
    return any(not w or any(c.isspace() for c in w) for w in words)


def _heredoc(doc: Heredoc) -> ir.Heredoc:
    content = doc.content
    if content and not content.endswith("\n"):
        content += "\n"
    return ir.Heredoc(doc.name, content, doc.strip_tabs, doc.quote == "", doc.quote)


def _ins(keyword: str, **kw: object) -> ir.IRInstruction:
    return ir.IRInstruction(keyword=keyword, original=keyword, **kw)  # type: ignore[arg-type]


def _pairs(values: Mapping[str, str | None], raw: bool, escape: str) -> tuple[ir.KeyValue, ...]:
    return tuple(
        ir.KeyValue(k, v if (raw or v is None) else quote_value(v, escape)) for k, v in values.items()
    )


def lower_instruction(step: object, escape: str = "\\") -> list[ir.IRInstruction]:
    """One declared step (instruction or helper) as IR instructions (``Copy(files=...)`` may give several)."""
    if isinstance(step, _Helper):
        step = step.expand()
    if isinstance(step, Run):
        flags = [ir.Flag("mount", m if isinstance(m, str) else m.flag_value()) for m in step.mounts]
        if step.network is not None:
            flags.append(ir.Flag("network", step.network))
        if step.security is not None:
            flags.append(ir.Flag("security", step.security))
        flags += [_flag(f) for f in step.extra_flags]
        if isinstance(step.command, list):
            return [_ins("RUN", args=tuple(step.command), form="exec", flags=tuple(flags))]
        command = step.command or " ".join(h.marker for h in step.heredocs)
        return [
            _ins(
                "RUN",
                args=(command,),
                form="shell",
                flags=tuple(flags),
                heredocs=tuple(_heredoc(h) for h in step.heredocs),
            )
        ]
    if isinstance(step, Copy | Add):
        return _files(step)
    if isinstance(step, Env | Label):
        keyword = "ENV" if isinstance(step, Env) else "LABEL"
        return [_ins(keyword, pairs=_pairs(step.values, step.raw, escape), flags=_extra(step.extra_flags))]
    if isinstance(step, Arg):
        return [_ins("ARG", pairs=_pairs(step.values, step.raw, escape), flags=_extra(step.extra_flags))]
    if isinstance(step, Workdir):
        return [_ins("WORKDIR", args=(step.path,), flags=_extra(step.extra_flags))]
    if isinstance(step, User):
        return [_ins("USER", args=(step.user,), flags=_extra(step.extra_flags))]
    if isinstance(step, StopSignal):
        return [_ins("STOPSIGNAL", args=(str(step.signal),), flags=_extra(step.extra_flags))]
    if isinstance(step, Maintainer):
        return [_ins("MAINTAINER", args=(step.name,), flags=_extra(step.extra_flags))]
    if isinstance(step, Expose):
        return [_ins("EXPOSE", args=tuple(str(p) for p in step.ports), flags=_extra(step.extra_flags))]
    if isinstance(step, Volume):
        form: ir.Form = "exec" if _needs_json(step.paths) else "words"
        return [_ins("VOLUME", args=tuple(step.paths), form=form, flags=_extra(step.extra_flags))]
    if isinstance(step, Cmd | Entrypoint):
        keyword = "CMD" if isinstance(step, Cmd) else "ENTRYPOINT"
        return [_command(keyword, step.command, _extra(step.extra_flags))]
    if isinstance(step, Shell):
        return [_ins("SHELL", args=tuple(step.argv), form="exec", flags=_extra(step.extra_flags))]
    if isinstance(step, Healthcheck):
        if step.disable:
            return [_ins("HEALTHCHECK", args=("NONE",), flags=_extra(step.extra_flags))]
        flags = [
            ir.Flag(name, value)
            for name, value in (
                ("interval", step.interval),
                ("timeout", step.timeout),
                ("start-period", step.start_period),
                ("start-interval", step.start_interval),
                ("retries", None if step.retries is None else str(step.retries)),
            )
            if value is not None
        ]
        assert step.command is not None
        sub = _command("CMD", step.command, ())
        return [_ins("HEALTHCHECK", flags=(*flags, *_extra(step.extra_flags)), sub=sub)]
    if isinstance(step, OnBuild):
        (sub_ins,) = lower_instruction(step.instruction, escape)[:1]
        return [_ins("ONBUILD", sub=sub_ins)]
    raise TypeError(f"cannot lower {type(step).__name__}")  # pragma: no cover - the Step union is closed


def _extra(flags: list[str]) -> tuple[ir.Flag, ...]:
    return tuple(_flag(f) for f in flags)


def _command(keyword: str, command: str | list[str], flags: tuple[ir.Flag, ...]) -> ir.IRInstruction:
    if isinstance(command, list):
        return _ins(keyword, args=tuple(command), form="exec", flags=flags)
    return _ins(keyword, args=(command,), form="shell", flags=flags)


def _files(step: Copy | Add) -> list[ir.IRInstruction]:
    keyword = "COPY" if isinstance(step, Copy) else "ADD"
    flags: list[ir.Flag] = []
    if isinstance(step, Copy) and step.from_ is not None:
        flags.append(ir.Flag("from", step.from_))
    if step.chown is not None:
        flags.append(ir.Flag("chown", step.chown))
    if step.chmod is not None:
        flags.append(ir.Flag("chmod", step.chmod))
    if isinstance(step, Add):
        if step.checksum is not None:
            flags.append(ir.Flag("checksum", step.checksum))
        if step.keep_git_dir is not None:
            flags.append(ir.Flag("keep-git-dir", str(step.keep_git_dir).lower()))
        if step.unpack is not None:
            flags.append(ir.Flag("unpack", str(step.unpack).lower()))
    if step.link:
        flags.append(ir.Flag("link"))
    if isinstance(step, Copy) and step.parents:
        flags.append(ir.Flag("parents"))
    flags += [ir.Flag("exclude", pattern) for pattern in step.exclude]
    flags += [_flag(f) for f in step.extra_flags]
    if isinstance(step, Copy) and step.files:
        out: list[ir.IRInstruction] = []
        for path, content in step.files.items():
            name = "EOF"
            n = 0
            while any(line == name for line in content.splitlines()):
                n += 1
                name = f"EOF{n}"
            doc = Heredoc(content=content, name=name, quote="'")
            out.append(
                _ins(
                    keyword,
                    args=(doc.marker, path),
                    form="words",
                    flags=tuple(flags),
                    heredocs=(_heredoc(doc),),
                )
            )
        return out
    assert step.dest is not None
    words = [*step.src, step.dest]
    if step.heredocs:
        markers = [h.marker for h in step.heredocs if h.marker not in step.src]
        words = [*markers, *words]
    form: ir.Form = "exec" if _needs_json(words) and not step.heredocs else "words"
    return [
        _ins(
            keyword,
            args=tuple(words),
            form=form,
            flags=tuple(flags),
            heredocs=tuple(_heredoc(h) for h in step.heredocs),
        )
    ]


#: Package helpers whose command writes system files (only root may).
_ROOT_HELPERS = (Apt, Apk, Dnf)


def _start_user(stage: Stage) -> str | None:
    """The user the steps of ``stage`` start as, when dockgen can tell: the user a project stage or image it
    is built ``FROM`` ends with (``user=`` or a last ``User`` step); None for a registry image."""
    base = stage.base
    if isinstance(base, Image):
        base = base.final_stage
    return _end_user(base) if isinstance(base, Stage) else None


def _end_user(stage: Stage) -> str | None:
    user = _start_user(stage)
    for step in stage.steps:
        if isinstance(step, User):
            user = step.user
    return stage.user if stage.user is not None else user


def _is_root(user: str | None) -> bool:
    return user is None or user.split(":", 1)[0] in ("root", "0")


def _base(stage: Stage, overrides: Mapping[str, str]) -> str:
    if isinstance(stage.base, Image):
        return overrides.get(stage.base.name) or stage.base.reference()
    return stage.base_ref


def lower(
    image: Image,
    *,
    base_overrides: Mapping[str, str] | None = None,
    source: str | None = None,
) -> ir.Dockerfile:
    """The IR of an image declaration.

    ``base_overrides`` maps a project image name to the reference to use in ``FROM`` (e.g. a digest
    reference); ``source`` (the build file) becomes ``Dockerfile.path`` as ``<source>#<image name>``.
    """
    overrides = base_overrides or {}
    directives: list[ir.Directive] = []
    if image.syntax is not None:
        directives.append(ir.Directive("syntax", image.syntax))
    directives += [ir.Directive(k, v) for k, v in image.directives.items()]
    escape = image.directives.get("escape", "\\")

    instructions: list[ir.IRInstruction] = []
    comments: list[ir.Comment] = []
    pending: list[ir.Comment] = []

    def at(ins: ir.IRInstruction, declaration: object) -> ir.IRInstruction:
        """``ins`` located at the line of the declaration it comes from (offsets stay -1: not text)."""
        where = declared_at(declaration)
        if where is None:
            return ins
        return _record.replace(ins, span=ir.Span(file=where[0], start_line=where[1], end_line=where[1]))

    def emit(ins: ir.IRInstruction) -> None:
        nonlocal pending
        if pending:
            ins = _record.replace(ins, comments=tuple(pending))
            pending = []
        instructions.append(ins)

    for name, default in image.args.items():
        emit(at(_ins("ARG", pairs=_pairs({name: default}, False, escape)), image))
    final = image.final_stage
    for stage in image.stages:
        args: tuple[str, ...] = (_base(stage, overrides),)
        if stage.name is not None:
            args = (*args, "AS", stage.name)
        flags = (ir.Flag("platform", stage.platform),) if stage.platform is not None else ()
        emit(at(_ins("FROM", args=args, flags=flags), stage))
        if stage.workdir is not None:
            emit(at(_ins("WORKDIR", args=(stage.workdir,)), stage))
        user = _start_user(stage)
        for step in stage.steps:
            if isinstance(step, User):
                user = step.user
            if isinstance(step, _ROOT_HELPERS) and not _is_root(user):
                # the inherited user may not install system packages: root for this step, then back
                assert user is not None
                emit(at(_ins("USER", args=("root",)), step))
                for ins in lower_instruction(step, escape):
                    emit(at(ins, step))
                emit(at(_ins("USER", args=(user,)), step))
                continue
            if isinstance(step, Comment):
                c = ir.Comment(step.text)
                comments.append(c)
                pending.append(c)
                continue
            for ins in lower_instruction(step, escape):
                emit(at(ins, step))
        if stage.user is not None:
            emit(at(_ins("USER", args=(stage.user,)), stage))
        if stage is final and image.labels:
            emit(at(_ins("LABEL", pairs=_pairs(image.labels, False, escape)), image))
    return ir.Dockerfile(
        instructions=tuple(instructions),
        directives=tuple(directives),
        comments=tuple(comments),
        path=f"{source}#{image.name}" if source else None,
        escape=escape,
    )
