"""The base of every declaration model, and pydantic errors turned into dockgen errors.

Every declaration is a frozen pydantic v2 model that rejects unknown fields. Errors never reach a user as a
pydantic traceback: constructing a model with a bad value raises :class:`dockgen.errors.DeclarationError`
whose message names the build-file line, the field path, the reason and the bad value, e.g.::

    build_images.py:12: Stage(...).user: Input should be a valid string (got 5)

and :func:`dockgen.models.validate_images` reports paths from the image list, e.g.
``images[0].stages[1].user: ...``.
"""

from __future__ import annotations

import difflib
import inspect
import os
import typing
import weakref
from collections.abc import Sequence
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationError

from dockgen.errors import DeclarationError

__all__ = ["Model", "format_path", "format_validation_error", "validation_messages"]

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# loc items pydantic inserts for union members / wrapped validators: never field names or dict keys we show
_TYPE_WORDS = frozenset(
    {"str", "int", "float", "bool", "none", "list", "dict", "tuple", "set", "frozenset", "bytes", "any"}
)


def _field_names() -> frozenset[str]:
    names: set[str] = set()
    for cls in _all_models(Model):
        for field_name, info in cls.model_fields.items():
            names.add(field_name)
            if info.alias:
                names.add(info.alias)
    return frozenset(names)


def _model_names() -> frozenset[str]:
    out: set[str] = set()
    for cls in _all_models(Model):
        out.add(cls.__name__)
        kind = cls.model_fields.get("kind") or cls.model_fields.get("type")
        if kind is not None and isinstance(kind.default, str):
            out.add(kind.default)
    try:
        from dockgen.tags import TagPolicy

        out.add(TagPolicy.__name__)
    except ImportError:  # pragma: no cover - tags always ships with dockgen
        pass
    return frozenset(out)


def _all_models(root: type[Model]) -> list[type[Model]]:
    out: list[type[Model]] = []
    todo: list[type[Model]] = [root]
    while todo:
        cls = todo.pop()
        out.append(cls)
        todo.extend(cls.__subclasses__())
    return out


def _is_branch_label(item: str, fields: frozenset[str], models: frozenset[str]) -> bool:
    if item in fields:
        return False
    if item in models or item.lower() in _TYPE_WORDS:
        return True
    return "[" in item or item.startswith(("function-", "literal", "tagged-union", "json-or-python"))


def format_path(loc: Sequence[int | str], prefix: str = "") -> str:
    """``('stages', 1, 'user')`` -> ``stages[1].user`` (union branch labels dropped, dict keys as ``["k"]``)."""
    fields = _field_names()
    models = _model_names()
    out = prefix
    for item in loc:
        if isinstance(item, int):
            out += f"[{item}]"
        elif _is_branch_label(item, fields, models):
            continue
        elif item in fields and item.isidentifier():
            out += f".{item}" if out else item
        else:
            out += f"[{item!r}]"
    return out or "<value>"


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models a field annotation can hold (through Optional, unions, lists, dicts)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def _fields_of(models: Sequence[type[BaseModel]]) -> set[str]:
    return {name for m in models for f, info in m.model_fields.items() for name in (f, info.alias) if name}


def _did_you_mean(model: type[BaseModel] | None, loc: Sequence[int | str]) -> str:
    """`` (did you mean `namespace`?)`` for an unknown field ``loc[-1]`` close to a field of its model."""
    if model is None or not loc or not isinstance(loc[-1], str):
        return ""
    by_name = {m.__name__: m for m in _all_models(Model)}
    current: list[type[BaseModel]] = [model]
    for item in loc[:-1]:
        if isinstance(item, int):
            continue
        if item in by_name:  # a union branch label naming the model that was tried
            current = [by_name[item]]
            continue
        inner = [
            m for c in current if item in c.model_fields for m in _models_in(c.model_fields[item].annotation)
        ]
        if inner:
            current = inner
    close = difflib.get_close_matches(loc[-1], sorted(_fields_of(current)), n=1, cutoff=0.6)
    return f"; did you mean `{close[0]}`?" if close else ""


def validation_messages(
    exc: ValidationError, prefix: str = "", model: type[BaseModel] | None = None
) -> list[str]:
    """One ``path: reason (got value)`` line per distinct field path (union alternatives merged).

    With ``model`` (the class that was validated), an unknown field close to a real one gets a
    "did you mean `...`?".
    """
    grouped: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for err in exc.errors(include_url=False):
        loc = list(err["loc"])
        msg = str(err["msg"])
        if err["type"] == "extra_forbidden" and loc and isinstance(loc[-1], str):
            path = format_path(loc[:-1], prefix)
            path = f"{path}.{loc[-1]}" if path != "<value>" else loc[-1]
            msg += _did_you_mean(model, loc)
        else:
            path = format_path(loc, prefix)
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        if msg.startswith("Assertion failed, "):
            msg = msg[len("Assertion failed, ") :]
        reasons = grouped.setdefault(path, [])
        if msg not in reasons:
            reasons.append(msg)
        value = err.get("input")
        scalar = value is None or isinstance(value, str | int | float | bool)
        if err["type"] != "missing" and (scalar or err["type"] not in ("value_error", "assertion_error")):
            values.setdefault(path, value)
    # a union member that got further (``mounts[0].target``) explains more than the others' "not a string"
    deeper = {
        p
        for p in grouped
        if any(q != p and (q.startswith(p + ".") or q.startswith(p + "[")) for q in grouped)
    }
    lines: list[str] = []
    for path, reasons in grouped.items():
        if path in deeper:
            continue
        line = f"{path}: {'; or '.join(reasons)}"
        if path in values:
            line += f" (got {_shown(values[path])})"
        lines.append(line)
    return lines


def format_validation_error(
    exc: ValidationError,
    prefix: str = "",
    where: str | None = None,
    model: type[BaseModel] | None = None,
) -> str:
    lines = validation_messages(exc, prefix, model)
    head = f"{where}: " if where else ""
    if len(lines) == 1:
        return head + lines[0]
    return head + f"{len(lines)} errors in the declaration:\n" + "\n".join(f"  {line}" for line in lines)


#: id(declaration) -> (absolute file, line) of the call that created it (see :func:`declared_at`).
_LOCATIONS: dict[int, tuple[str, int]] = {}


def _caller_frame() -> tuple[str, int] | None:
    """(absolute file, line) of the first frame outside dockgen and pydantic (the user's build file)."""
    frame = inspect.currentframe()
    try:
        while frame is not None:
            filename = os.path.abspath(frame.f_code.co_filename)
            if not filename.startswith(_PACKAGE_DIR) and "pydantic" not in filename:
                return filename, frame.f_lineno
            frame = frame.f_back
        return None
    finally:
        del frame


def declared_at(declaration: object) -> tuple[str, int] | None:
    """Where ``declaration`` (a step, stage or image) was written: (absolute file, line), or None when it was
    not created by a call in a user's file (built by validation, copied, or made inside dockgen)."""
    return _LOCATIONS.get(id(declaration))


def _remember(declaration: object, where: tuple[str, int] | None) -> None:
    if where is None or where[0].startswith("<"):
        return
    key = id(declaration)
    _LOCATIONS[key] = where
    weakref.finalize(declaration, _LOCATIONS.pop, key, None)


def _caller_location() -> str | None:
    """``file:line`` of the first frame outside dockgen and pydantic (the user's build file)."""
    frame = inspect.currentframe()
    try:
        while frame is not None:
            filename = os.path.abspath(frame.f_code.co_filename)
            if not filename.startswith(_PACKAGE_DIR) and "pydantic" not in filename:
                return f"{os.path.relpath(filename) if not filename.startswith('<') else filename}:{frame.f_lineno}"
            frame = frame.f_back
        return None
    finally:
        del frame


class Model(BaseModel):
    """Frozen, strict-about-fields base of every declaration.

    Subclasses list in ``_positional`` the fields that may be given positionally, so that
    ``Run("make")``, ``Workdir("/app")`` and ``Expose(8080)`` read naturally.
    """

    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=True, use_attribute_docstrings=True
    )

    _positional: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: Any, **data: Any) -> None:
        cls = type(self)
        if len(args) > len(cls._positional):
            allowed = ", ".join(cls._positional) or "none"
            raise DeclarationError(
                f"{_caller_location() or '<declaration>'}: {cls.__name__}() takes at most "
                f"{len(cls._positional)} positional argument(s) ({allowed}), got {len(args)}",
                hint="pass the other values by keyword",
            )
        for name, value in zip(cls._positional, args, strict=False):
            if name in data:
                raise DeclarationError(
                    f"{_caller_location() or '<declaration>'}: {cls.__name__}() got {name!r} twice "
                    "(positionally and by keyword)"
                )
            data[name] = value
        try:
            super().__init__(**data)
            _remember(self, _caller_frame())
        except ValidationError as exc:
            error = DeclarationError(
                format_validation_error(exc, f"{cls.__name__}(...)", _caller_location(), cls),
                hint=f"see docs/declarations.md for the fields of {cls.__name__}",
            )
            error.reason = format_validation_error(exc, f"{cls.__name__}(...)", model=cls)  # type: ignore[attr-defined]
            raise error from None

    # pydantic calls a custom __init__ when validating nested data; this one only adds positional arguments
    # and error formatting, so let nested validation use the plain one (errors then keep their full path).
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]
