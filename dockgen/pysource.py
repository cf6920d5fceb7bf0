"""Declarations -> Python source: the ``build_images.py`` text ``dockgen import`` and ``dockgen init`` write."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from dockgen.models import Arg, Image

__all__ = ["image_source"]


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


def image_source(image: Image, origin: str) -> str:
    """A complete, runnable ``build_images.py`` declaring ``image`` (``origin`` names what it came from)."""
    body = _model(image, 4)
    used = sorted(set(re.findall(r"\b([A-Z][A-Za-z]+)\(", body)))
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
