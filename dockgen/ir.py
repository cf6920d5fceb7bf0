"""The one positioned instruction representation (IR) that every input becomes.

Raw Dockerfile text (``dockgen.parse``) and Python declarations (``dockgen.models`` lowered by ``lower()``) both
produce a :class:`Dockerfile`. Lint rules, fixes and the renderer are passes over it.

Design:

* A :class:`Dockerfile` is a flat tuple of :class:`IRInstruction` (pre-``FROM`` ``ARG`` included) plus parser
  directives and free-standing comments; :attr:`Dockerfile.stages` groups instructions into stages lazily.
* An :class:`IRInstruction` is generic: canonical upper-case ``keyword``, ``flags`` (``--name=value``), ``args``
  and, for ``ENV``/``LABEL``/``ARG``, ``pairs``. What ``args`` holds depends on the keyword, see
  :class:`IRInstruction`. Keyword-specific views live in small accessor functions/properties below.
* Positions are :class:`Span` objects (1-based lines and columns, 0-based character offsets into the decoded
  source text, end exclusive). Declarations have ``span=None`` or a span pointing at the build file.
* Everything is immutable (frozen records, see dockgen._record) and hashable; equality ignoring positions is
  :func:`without_positions`.

The IR classes are named apart from the declaration models: :class:`IRInstruction` and :class:`IRStage` here,
``dockgen.Stage`` / ``dockgen.models`` instruction types for declarations. The former IR names
``dockgen.ir.Instruction`` and ``dockgen.ir.Stage`` still import (rule packs outside this repository use them)
but warn with a :class:`DeprecationWarning`.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from functools import cached_property

from dockgen import _record
from dockgen._record import field, record
from dockgen._static import TYPE_CHECKING
from dockgen.reference import split_image

if TYPE_CHECKING:
    from typing import Any, Literal

    Form = Literal["shell", "exec", "words"]

#: Instructions BuildKit knows (MAINTAINER is deprecated but parsed).
KEYWORDS: frozenset[str] = frozenset(
    {
        "ADD",
        "ARG",
        "CMD",
        "COPY",
        "ENTRYPOINT",
        "ENV",
        "EXPOSE",
        "FROM",
        "HEALTHCHECK",
        "LABEL",
        "MAINTAINER",
        "ONBUILD",
        "RUN",
        "SHELL",
        "STOPSIGNAL",
        "USER",
        "VOLUME",
        "WORKDIR",
    }
)

#: Keywords whose argument may be a JSON array (exec form) or shell form text.
JSON_OR_SHELL: frozenset[str] = frozenset({"RUN", "CMD", "ENTRYPOINT"})
#: Keywords whose argument may be a JSON array or whitespace-separated words.
JSON_OR_WORDS: frozenset[str] = frozenset({"COPY", "ADD", "VOLUME", "SHELL"})
#: Keywords carrying key/value pairs.
KEY_VALUE: frozenset[str] = frozenset({"ENV", "LABEL", "ARG"})


@record(frozen=True, slots=True)
class Span:
    """Where something is in a source file.

    Lines and columns are 1-based; ``end_col`` is the column just after the last character on ``end_line``.
    ``start``/``end`` are 0-based character offsets into the decoded source text (``end`` exclusive), so
    ``source[span.start:span.end]`` is the exact original text. Offsets are -1 when unknown (declarations).
    """

    file: str | None
    start_line: int
    end_line: int
    start_col: int = 1
    end_col: int = 1
    start: int = -1
    end: int = -1

    def __str__(self) -> str:
        return f"{self.file or '<input>'}:{self.start_line}:{self.start_col}"


@record(frozen=True, slots=True)
class Comment:
    """A ``#`` comment line. ``text`` excludes the leading ``#`` and one following space."""

    text: str
    span: Span | None = None


@record(frozen=True, slots=True)
class Directive:
    """A parser directive at the top of the file: ``# syntax=...``, ``# escape=...``, ``# check=...``."""

    name: str
    value: str
    span: Span | None = None


@record(frozen=True, slots=True)
class Flag:
    """An instruction flag: ``--name=value`` (``value`` None for a bare ``--name`` such as ``--link``)."""

    name: str
    value: str | None = None

    def __str__(self) -> str:
        return f"--{self.name}" if self.value is None else f"--{self.name}={self.value}"


@record(frozen=True, slots=True)
class Heredoc:
    """A here-document attached to RUN/COPY/ADD: ``<<EOF`` ... ``EOF``.

    ``content`` is the body exactly as written (each line with its newline, leading tabs *not* stripped even
    for ``<<-``); ``strip_tabs`` is True for ``<<-``; ``expand`` is False when the delimiter was quoted
    (``<<'EOF'`` / ``<<"EOF"``), which disables variable expansion in the body.
    """

    name: str
    content: str
    strip_tabs: bool = False
    expand: bool = True
    quote: str = ""

    @property
    def body(self) -> str:
        """The content as the build sees it (leading tabs stripped for ``<<-``)."""
        if not self.strip_tabs:
            return self.content
        return "".join(line.lstrip("\t") for line in self.content.splitlines(keepends=True))


@record(frozen=True, slots=True)
class KeyValue:
    """One ``key=value`` of ENV / LABEL / ARG. ``value`` is the raw text (quotes kept); None for ``ARG name``."""

    key: str
    value: str | None = None

    @property
    def unquoted(self) -> str | None:
        """The value with shell quoting removed (no variable expansion)."""
        return None if self.value is None else unquote(self.value)


@record(frozen=True, slots=True)
class IRInstruction:
    """One Dockerfile instruction.

    ``args`` by keyword:

    * RUN / CMD / ENTRYPOINT: exec form (``form="exec"``) -> the JSON array items; shell form -> one item, the
      command text with line continuations removed exactly as BuildKit does.
    * COPY / ADD / VOLUME / SHELL: the sources and destination (or volumes) as words or JSON items.
    * FROM: ``(image,)`` or ``(image, "AS", name)`` with the ``AS`` keyword as written (casing kept).
    * ENV / LABEL / ARG: ``args`` is empty; see ``pairs``. ``legacy`` is True for ``ENV key value``.
    * HEALTHCHECK: ``("NONE",)`` or empty with ``sub`` holding the CMD instruction; flags are the options.
    * ONBUILD: empty ``args``; ``sub`` is the triggered instruction.
    * Others (WORKDIR, USER, EXPOSE, STOPSIGNAL, MAINTAINER): whitespace-separated words (WORKDIR, USER,
      MAINTAINER and STOPSIGNAL keep their whole text as one word).

    ``original`` is the keyword as written (for casing rules); ``comments`` are the comment lines directly
    above the instruction (pragmas live there).
    """

    keyword: str
    args: tuple[str, ...] = ()
    flags: tuple[Flag, ...] = ()
    form: Form = "words"
    pairs: tuple[KeyValue, ...] = ()
    legacy: bool = False
    heredocs: tuple[Heredoc, ...] = ()
    sub: IRInstruction | None = None
    comments: tuple[Comment, ...] = ()
    span: Span | None = None
    original: str = ""
    #: Line numbers of empty lines inside this instruction's line continuations (BuildKit warns on them).
    empty_continuation_lines: tuple[int, ...] = ()

    # ---- convenience -------------------------------------------------------------------------------
    @property
    def is_exec(self) -> bool:
        return self.form == "exec"

    @property
    def command(self) -> str:
        """Shell text of a RUN/CMD/ENTRYPOINT (exec form joined with spaces; heredoc bodies appended)."""
        text = " ".join(self.args)
        if self.heredocs and self.keyword == "RUN":
            text = text + "\n" + "\n".join(h.body for h in self.heredocs)
        return text

    def flag(self, name: str) -> str | None:
        """Value of the last ``--name`` flag ('' for a bare flag), or None when absent."""
        for f in reversed(self.flags):
            if f.name == name:
                return "" if f.value is None else f.value
        return None

    def flag_values(self, name: str) -> list[str]:
        """Values of every ``--name`` flag (``--mount`` may repeat)."""
        return ["" if f.value is None else f.value for f in self.flags if f.name == name]

    @property
    def mounts(self) -> list[dict[str, str]]:
        """RUN ``--mount`` flags parsed into dicts (``type`` defaults to ``bind``)."""
        return [parse_mount(v) for v in self.flag_values("mount")]

    def env_dict(self) -> dict[str, str]:
        """ENV/ARG/LABEL pairs as a dict of unquoted values ('' for a valueless ARG)."""
        return {kv.key: kv.unquoted or "" for kv in self.pairs}

    @property
    def line(self) -> int:
        return self.span.start_line if self.span else 0


@record(frozen=True, slots=True)
class FromInfo:
    """The parts of a FROM instruction."""

    image: str
    name: str | None
    platform: str | None

    @property
    def tag(self) -> str | None:
        return split_image(self.image)[1]

    @property
    def digest(self) -> str | None:
        return split_image(self.image)[2]

    @property
    def repository(self) -> str:
        return split_image(self.image)[0]


def from_info(ins: IRInstruction) -> FromInfo:
    """Image, stage name and platform of a FROM instruction."""
    image = ins.args[0] if ins.args else ""
    name = ins.args[2] if len(ins.args) >= 3 and ins.args[1].upper() == "AS" else None
    return FromInfo(image=image, name=name, platform=ins.flag("platform"))


@record(frozen=True)
class IRStage:
    """A build stage: its FROM and the instructions up to the next FROM."""

    index: int
    from_: IRInstruction
    instructions: tuple[IRInstruction, ...]

    @property
    def info(self) -> FromInfo:
        return from_info(self.from_)

    @property
    def name(self) -> str | None:
        return self.info.name

    @property
    def base(self) -> str:
        return self.info.image

    @property
    def ref(self) -> str:
        """How other stages refer to this one: its name, else its index."""
        return self.name if self.name is not None else str(self.index)

    def all(self) -> tuple[IRInstruction, ...]:
        """FROM followed by the stage's instructions."""
        return (self.from_, *self.instructions)


@record(frozen=True)
class Dockerfile:
    """A whole Dockerfile: directives, instructions in order, and every comment (with positions).

    ``source`` is the decoded original text when parsed from a file (used by autofix); ``path`` where it came
    from (a Dockerfile path, or ``build_images.py#image`` for declarations).
    """

    instructions: tuple[IRInstruction, ...] = ()
    directives: tuple[Directive, ...] = ()
    comments: tuple[Comment, ...] = ()
    path: str | None = None
    source: str | None = field(default=None, repr=False, compare=False)
    escape: str = "\\"

    @cached_property
    def stages(self) -> tuple[IRStage, ...]:
        stages: list[IRStage] = []
        current: IRInstruction | None = None
        body: list[IRInstruction] = []
        for ins in self.instructions:
            if ins.keyword == "FROM":
                if current is not None:
                    stages.append(IRStage(len(stages), current, tuple(body)))
                current, body = ins, []
            elif current is not None:
                body.append(ins)
        if current is not None:
            stages.append(IRStage(len(stages), current, tuple(body)))
        return tuple(stages)

    @property
    def global_args(self) -> tuple[IRInstruction, ...]:
        """Instructions before the first FROM (normally ARGs)."""
        out: list[IRInstruction] = []
        for ins in self.instructions:
            if ins.keyword == "FROM":
                break
            out.append(ins)
        return tuple(out)

    def directive(self, name: str) -> str | None:
        for d in self.directives:
            if d.name == name:
                return d.value
        return None

    @cached_property
    def _places(self) -> dict[int, tuple[int, int]]:
        """``id(instruction)`` -> (stage index, index in the stage's instructions, -1 for its FROM).

        Built once, so :meth:`stage_of` and :meth:`position` are constant time (rules ask for every instruction:
        a scan per call made linting quadratic in the number of instructions). The Dockerfile holds every
        instruction it indexes, so an id cannot be reused while it lives; lookups still check identity."""
        out: dict[int, tuple[int, int]] = {}
        for stage in self.stages:
            out[id(stage.from_)] = (stage.index, -1)
            for i, ins in enumerate(stage.instructions):
                out[id(ins)] = (stage.index, i)
        return out

    def _place(self, ins: IRInstruction) -> tuple[int, int] | None:
        place = self._places.get(id(ins))
        if place is None:
            return None
        stage = self.stages[place[0]]
        found = stage.from_ if place[1] < 0 else stage.instructions[place[1]]
        return place if found is ins else None

    def stage_of(self, ins: IRInstruction) -> IRStage | None:
        """The stage ``ins`` belongs to (its FROM included); None for global ARGs and ONBUILD triggers."""
        place = self._place(ins)
        return None if place is None else self.stages[place[0]]

    def position(self, ins: IRInstruction) -> int | None:
        """Index of ``ins`` in its stage's ``instructions`` (-1 for the stage's FROM), None outside stages."""
        place = self._place(ins)
        return None if place is None else place[1]

    @cached_property
    def _stages_by_name(self) -> dict[str, IRStage]:
        out: dict[str, IRStage] = {}
        for stage in self.stages:
            if stage.name is not None:
                out.setdefault(stage.name.lower(), stage)
        return out

    def stage_by_ref(self, ref: str) -> IRStage | None:
        """Stage by name (case-insensitive, as BuildKit; the first of that name) or by index."""
        found = self._stages_by_name.get(ref.lower())
        if found is not None:
            return found
        if ref.isdigit() and int(ref) < len(self.stages):
            return self.stages[int(ref)]
        return None

    @cached_property
    def memo(self) -> dict[str, Any]:
        """Derived data that helpers compute once per file (keyed by the helper's name), so that asking
        about every instruction stays linear. The Dockerfile is immutable, so nothing here goes stale."""
        return {}

    def walk(self) -> Iterator[IRInstruction]:
        """Every instruction, including ONBUILD / HEALTHCHECK sub-instructions after their parent."""
        for ins in self.instructions:
            yield ins
            if ins.sub is not None:
                yield ins.sub

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (``dockgen parse --json``)."""
        return _to_jsonable(self)  # type: ignore[no-any-return]


def _to_jsonable(obj: Any) -> Any:
    if _record.is_record(obj) and not isinstance(obj, type):
        out: dict[str, Any] = {}
        for f in _record.fields(obj):
            if f.name == "source":
                continue
            out[f.name] = _to_jsonable(getattr(obj, f.name))
        if isinstance(obj, Dockerfile):
            out["stages"] = [
                {"index": s.index, "name": s.name, "base": s.base, "first_line": s.from_.line}
                for s in obj.stages
            ]
        return out
    if isinstance(obj, tuple | list):
        return [_to_jsonable(x) for x in obj]
    return obj


def without_positions(df: Dockerfile) -> Dockerfile:
    """The same Dockerfile with every span, comment position, path and source removed (for equality)."""

    def ins(i: IRInstruction) -> IRInstruction:
        return _record.replace(
            i,
            span=None,
            empty_continuation_lines=(),
            original=i.original.upper() if i.original else "",
            comments=tuple(Comment(c.text) for c in i.comments),
            sub=ins(i.sub) if i.sub is not None else None,
        )

    return Dockerfile(
        instructions=tuple(ins(i) for i in df.instructions),
        directives=tuple(Directive(d.name, d.value) for d in df.directives),
        comments=tuple(Comment(c.text) for c in df.comments),
        path=None,
        escape=df.escape,
    )


# ---- small shared helpers ------------------------------------------------------------------------------

_MOUNT_KEY_ALIASES = {"dst": "target", "destination": "target", "src": "source", "ro": "readonly"}


def parse_mount(value: str) -> dict[str, str]:
    """Parse a ``--mount`` value (``type=cache,target=/root/.cache,sharing=locked``) into a dict."""
    out: dict[str, str] = {}
    for part in _split_csv(value):
        if not part:
            continue
        key, sep, val = part.partition("=")
        key = _MOUNT_KEY_ALIASES.get(key.strip().lower(), key.strip().lower())
        out[key] = val if sep else "true"
    out.setdefault("type", "bind")
    return out


def _split_csv(value: str) -> list[str]:
    """Split on commas outside double quotes (as BuildKit's csv reader does)."""
    parts: list[str] = []
    buf: list[str] = []
    quoted = False
    for ch in value:
        if ch == '"':
            quoted = not quoted
            continue
        if ch == "," and not quoted:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    parts.append("".join(buf))
    return parts


def unquote(text: str) -> str:
    """Remove shell quoting from a word (single/double quotes and backslash escapes), no expansion."""
    if '"' not in text and "'" not in text and "\\" not in text:
        return text
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "'":
            j = text.find("'", i + 1)
            if j < 0:
                out.append(text[i + 1 :])
                break
            out.append(text[i + 1 : j])
            i = j + 1
        elif ch == '"':
            i += 1
            while i < n and text[i] != '"':
                if text[i] == "\\" and i + 1 < n and text[i + 1] in '"\\$`':
                    i += 1
                out.append(text[i])
                i += 1
            i += 1
        elif ch == "\\" and i + 1 < n:
            out.append(text[i + 1])
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _scan_var(text: str, i: int) -> tuple[str, str | None, str, int] | None:
    """At ``text[i] == "$"``: (name, operator or None, word, end index) of a variable reference, else None.

    Handles ``$NAME``, ``${NAME}`` and ``${NAME<op>word}`` with nested ``${...}`` inside ``word``.
    """
    n = len(text)
    if i + 1 >= n:
        return None
    if text[i + 1] != "{":
        m = _NAME_RE.match(text, i + 1)
        return (m.group(0), None, "", m.end()) if m else None
    m = _NAME_RE.match(text, i + 2)
    if not m:
        return None
    j = m.end()
    if j < n and text[j] == "}":
        return m.group(0), None, "", j + 1
    op_end = j + 2 if text.startswith(":", j) else j + 1
    op = text[j:op_end]
    if op not in (":-", ":+", ":?", "-", "+", "?"):
        return None
    depth, k = 1, op_end
    while k < n:
        ch = text[k]
        if ch == "\\":
            k += 2
            continue
        if ch == "$" and k + 1 < n and text[k + 1] == "{":
            depth += 1
            k += 2
            continue
        if ch == "}":
            depth -= 1
            if depth == 0:
                return m.group(0), op, text[op_end:k], k + 1
        k += 1
    return None


def variable_references(text: str) -> list[str]:
    """Names of variables referenced as ``$VAR`` / ``${VAR}`` / ``${VAR:-x}`` / ``${VAR:+x}`` in ``text``.

    Escaped ``\\$`` and single-quoted text are not references.
    """
    names: list[str] = []
    i, n = 0, len(text)
    in_single = False
    while i < n:
        ch = text[i]
        if ch == "\\" and not in_single:
            i += 2
            continue
        if ch == "'":
            in_single = not in_single
        elif ch == "$" and not in_single:
            found = _scan_var(text, i)
            if found:
                name, _op, word, end = found
                names.append(name)
                if word:
                    names.extend(variable_references(word))
                i = end
                continue
        i += 1
    return names


def expand(text: str, env: dict[str, str], *, unset: str = "") -> str:
    """Expand ``$VAR`` forms the way BuildKit's word expansion does for instruction arguments.

    Supports ``$VAR``, ``${VAR}``, ``${VAR:-default}``, ``${VAR-default}``, ``${VAR:+alt}``, ``${VAR+alt}``,
    ``${VAR:?msg}`` (treated as the value), nested in defaults. Unset variables become ``unset``. An escaped
    ``\\$`` stays a literal ``$``.
    """
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n and text[i + 1] == "$":
            out.append("$")
            i += 2
            continue
        if ch == "$":
            found = _scan_var(text, i)
            if found:
                name, op, word, end = found
                present = name in env
                value = env.get(name, "")
                if op is None:
                    out.append(value if present else unset)
                else:
                    is_set = present and (bool(value) or not op.startswith(":"))
                    kind = op[-1]
                    if kind == "-":
                        out.append(value if is_set else expand(word, env, unset=unset))
                    elif kind == "+":
                        out.append(expand(word, env, unset=unset) if is_set else "")
                    else:
                        out.append(value)
                i = end
                continue
        out.append(ch)
        i += 1
    return "".join(out)


#: Former names of the IR classes, kept importable for rule packs written against them.
_DEPRECATED_NAMES: dict[str, str] = {"Instruction": "IRInstruction", "Stage": "IRStage"}

if TYPE_CHECKING:  # type checkers see the aliases; at run time they go through __getattr__ and warn
    Instruction = IRInstruction
    Stage = IRStage


def __getattr__(name: str) -> object:
    new = _DEPRECATED_NAMES.get(name)
    if new is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    warnings.warn(
        f"dockgen.ir.{name} is deprecated: use dockgen.ir.{new} (the declaration models keep the name {name})",
        DeprecationWarning,
        stacklevel=2,
    )
    return globals()[new]
