"""Value classes for the lint path: ``dataclasses`` semantics at a fraction of the start-up cost.

``dockgen lint FILE`` is started once per file by editors and pre-commit, so what it costs
before reading the file matters. Importing :mod:`dataclasses` pulls in :mod:`inspect` (about
9 ms here), and every ``@dataclass`` compiles five or six generated methods (0.4-0.8 ms a
class); the ~40 value classes a lint run touches spent more time being defined than the lint
itself. :func:`record` makes the same classes with one generated method (``__init__``, for
its speed and signature) and shared ``__repr__``/``__eq__``/``__hash__``/frozen
``__setattr__`` implementations.

Semantics follow :func:`dataclasses.dataclass` for what dockgen uses: fields from
annotations (``ClassVar`` excluded), defaults and :func:`field` (``default``,
``default_factory``, ``init``, ``repr``, ``compare``), ``frozen``, ``slots``, ``eq``,
``__post_init__``, ``__match_args__``, inherited fields, equality and hashing by the tuple of
compared fields (same hash values as ``dataclasses``), pickling and copying of frozen slotted
classes.

Records stay usable with the :mod:`dataclasses` API (``dataclasses.replace``, ``fields``,
``asdict``, ``is_dataclass``), which rule packs may rely on for the IR classes: the class
attribute ``__dataclass_fields__`` is computed on first access, importing :mod:`dataclasses`
only then. Inside dockgen use :func:`replace` and :func:`fields` from this module.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from operator import attrgetter
from types import MemberDescriptorType

from dockgen._static import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, TypeVar, dataclass_transform, overload

    _T = TypeVar("_T")
else:  # typing is not imported at run time (see dockgen._static); these markers only speak to type checkers

    def overload(function):
        return function  # the implementation defined after the overloads replaces them, as with typing's

    def dataclass_transform(**_options):
        return lambda decorated: decorated


__all__ = ["MISSING", "Field", "FrozenInstanceError", "field", "fields", "is_record", "record", "replace"]


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class FrozenInstanceError(AttributeError):
    """Assignment to a field of a frozen record (like :class:`dataclasses.FrozenInstanceError`)."""


class Field:
    """One field of a record: its name, annotation (a string) and how ``__init__`` fills it."""

    __slots__ = ("compare", "default", "default_factory", "init", "name", "repr", "type")

    def __init__(
        self,
        default: Any = MISSING,
        default_factory: Any = MISSING,
        init: bool = True,
        repr: bool = True,
        compare: bool = True,
    ) -> None:
        if default is not MISSING and default_factory is not MISSING:
            raise ValueError("cannot specify both default and default_factory")
        self.name = ""
        self.type: Any = None
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.compare = compare

    def __repr__(self) -> str:
        return f"Field(name={self.name!r}, type={self.type!r})"


@overload
def field(*, default: _T, init: bool = ..., repr: bool = ..., compare: bool = ...) -> _T: ...
@overload
def field(
    *, default_factory: Callable[[], _T], init: bool = ..., repr: bool = ..., compare: bool = ...
) -> _T: ...
@overload
def field(*, init: bool = ..., repr: bool = ..., compare: bool = ...) -> Any: ...
def field(
    *,
    default: Any = MISSING,
    default_factory: Any = MISSING,
    init: bool = True,
    repr: bool = True,
    compare: bool = True,
) -> Any:
    """Describe a field the way :func:`dataclasses.field` does (the subset dockgen uses)."""
    return Field(default, default_factory, init, repr, compare)


def _is_classvar(annotation: Any) -> bool:
    if isinstance(annotation, str):
        return annotation.startswith(("ClassVar", "typing.ClassVar"))
    typing = sys.modules.get("typing")  # a ClassVar object exists only once its module imported typing
    if typing is None:
        return False
    return annotation is typing.ClassVar or getattr(annotation, "__origin__", None) is typing.ClassVar


def _record_repr(self: Any) -> str:
    parts = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__record_repr__)
    return f"{self.__class__.__qualname__}({parts})"


def _record_eq(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        key = self.__record_key__
        return key(self) == key(other)
    return NotImplemented


def _record_hash(self: Any) -> int:
    return hash(self.__record_key__(self))


def _key_getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    # always a tuple of the compared fields, so equality and hash values are dataclasses'
    if not names:
        return lambda self: ()
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda self: (one(self),)
    return attrgetter(*names)


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _getstate(self: Any) -> list[Any]:
    return [getattr(self, name) for name in self.__record_fields__]


def _setstate(self: Any, state: list[Any]) -> None:
    for name, value in zip(self.__record_fields__, state, strict=True):
        object.__setattr__(self, name, value)


class _DataclassFields:
    """``__dataclass_fields__`` for the :mod:`dataclasses` API, built on first access."""

    def __init__(self) -> None:
        self._fields: dict[str, Any] | None = None

    def __get__(self, instance: Any, owner: type) -> dict[str, Any]:
        if self._fields is None:
            import dataclasses  # only for callers of the dataclasses API

            own: dict[str, Field] = owner.__record_fields__  # type: ignore[attr-defined]
            namespace: dict[str, Any] = {"__annotations__": {n: f.type for n, f in own.items()}}
            for name, spec in own.items():
                namespace[name] = dataclasses.field(
                    default=spec.default if spec.default is not MISSING else dataclasses.MISSING,
                    default_factory=(
                        spec.default_factory if spec.default_factory is not MISSING else dataclasses.MISSING
                    ),
                    init=spec.init,
                    repr=spec.repr,
                    compare=spec.compare,
                )
            shadow: Any = dataclasses.dataclass(type(owner.__name__, (), namespace))
            self._fields = dict(shadow.__dataclass_fields__)
        return self._fields


def _collect(cls: type) -> dict[str, Field]:
    collected: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        collected.update(base.__dict__.get("__record_fields__", {}))
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():  # noqa: RUF063 - own, unevaluated
        if _is_classvar(annotation):
            continue
        value = cls.__dict__.get(name, MISSING)
        spec = value if isinstance(value, Field) else Field(default=value)
        spec.name = name
        spec.type = annotation
        if isinstance(value, list | dict | set):
            raise ValueError(
                f"mutable default {type(value)} for field {name} is not allowed: use default_factory"
            )
        collected[name] = spec
    seen_default = False
    for spec in collected.values():
        if not spec.init:
            continue
        has_default = spec.default is not MISSING or spec.default_factory is not MISSING
        if seen_default and not has_default:
            raise TypeError(f"non-default argument {spec.name!r} follows default argument")
        seen_default = seen_default or has_default
    return collected


class _Factory:
    __slots__ = ()

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


def _make_init(cls: type, specs: dict[str, Field], *, frozen: bool) -> Any:
    """The generated ``__init__`` (the one method compiled per class, as it runs most often)."""
    params: list[str] = []
    body: list[str] = []
    in_dict: list[str] = []  # frozen fields kept in the instance dict, set in one update
    env: dict[str, Any] = {"_FACTORY": _FACTORY}
    for name, spec in specs.items():
        if spec.default_factory is not MISSING:
            env[f"_factory_{name}"] = spec.default_factory
            if spec.init:
                params.append(f"{name}=_FACTORY")
                value = f"_factory_{name}() if {name} is _FACTORY else {name}"
            else:
                value = f"_factory_{name}()"
        elif spec.default is not MISSING:
            env[f"_default_{name}"] = spec.default
            if spec.init:
                params.append(f"{name}=_default_{name}")
                value = name
            else:
                value = f"_default_{name}"
        elif spec.init:
            params.append(name)
            value = name
        else:
            continue
        if not frozen:
            body.append(f"  self.{name} = {value}")
        elif isinstance(getattr(cls, name, None), MemberDescriptorType):
            # a slot: its descriptor's setter skips the frozen __setattr__ (faster than object.__setattr__)
            env[f"_set_{name}"] = getattr(cls, name).__set__
            body.append(f"  _set_{name}(self, {value})")
        else:
            in_dict.append(f"{name!r}: {value}")
    if in_dict:
        body.append(f"  self.__dict__.update({{{', '.join(in_dict)}}})")
    if hasattr(cls, "__post_init__"):
        body.append("  self.__post_init__()")
    lines = [f"def __init__(self, {', '.join(params)}):", *(body or ["  pass"])]
    # generated from the class's own field names, as dataclasses does
    exec("\n".join(lines) + "\n", env)
    init = env["__init__"]
    init.__annotations__ = {n: s.type for n, s in specs.items() if s.init} | {"return": None}
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    return init


def _build(cls: type, *, frozen: bool, slots: bool, eq: bool, repr: bool) -> type:
    specs = _collect(cls)
    own = cls.__dict__
    if slots:
        namespace = dict(own)
        parent_slots = {s for base in cls.__mro__[1:] for s in base.__dict__.get("__slots__", ())}
        namespace["__slots__"] = tuple(n for n in specs if n not in parent_slots)
        for name in specs:
            namespace.pop(name, None)
        namespace.pop("__dict__", None)
        namespace.pop("__weakref__", None)
        qualname = cls.__qualname__
        cls = type(cls)(cls.__name__, cls.__bases__, namespace)
        cls.__qualname__ = qualname
    else:
        for name, spec in specs.items():
            # a Field object left as the class attribute would read as the field's value
            if isinstance(own.get(name), Field):
                if spec.default is not MISSING:
                    setattr(cls, name, spec.default)
                else:
                    delattr(cls, name)
    ns: dict[str, Any] = {
        "__record_fields__": specs,
        "__dataclass_fields__": _DataclassFields(),
        "__init__": _make_init(cls, specs, frozen=frozen),
    }
    if repr and "__repr__" not in own:
        ns["__repr__"] = _record_repr
        ns["__record_repr__"] = tuple(n for n, s in specs.items() if s.repr)
    if eq:
        ns["__record_key__"] = staticmethod(_key_getter(tuple(n for n, s in specs.items() if s.compare)))
        if "__eq__" not in own:
            ns["__eq__"] = _record_eq
        if "__hash__" not in own:
            ns["__hash__"] = _record_hash if frozen else None
    if frozen:
        ns["__setattr__"] = _frozen_setattr
        ns["__delattr__"] = _frozen_delattr
        if slots:
            ns["__getstate__"] = _getstate
            ns["__setstate__"] = _setstate
    if "__match_args__" not in own:
        ns["__match_args__"] = tuple(n for n, s in specs.items() if s.init)
    for name, value in ns.items():
        type.__setattr__(cls, name, value)
    return cls


@overload
def record(cls: type[_T], /) -> type[_T]: ...
@overload
def record(
    *, frozen: bool = False, slots: bool = False, eq: bool = True, repr: bool = True
) -> Callable[[type[_T]], type[_T]]: ...
@dataclass_transform(field_specifiers=(field, Field))
def record(
    cls: Any = None,
    /,
    *,
    frozen: bool = False,
    slots: bool = False,
    eq: bool = True,
    repr: bool = True,
) -> Any:
    """Class decorator: a value class with :func:`dataclasses.dataclass` semantics (see module doc)."""

    def wrap(c: type) -> type:
        return _build(c, frozen=frozen, slots=slots, eq=eq, repr=repr)

    return wrap if cls is None else wrap(cls)


def is_record(obj: Any) -> bool:
    """Whether *obj* is a record instance (not a record class)."""
    return not isinstance(obj, type) and hasattr(type(obj), "__record_fields__")


def fields(obj: Any) -> tuple[Field, ...]:
    """The fields of a record class or instance, in definition order."""
    return tuple(obj.__record_fields__.values())


def replace(obj: _T, /, **changes: Any) -> _T:
    """A copy of record *obj* with *changes* applied (like :func:`dataclasses.replace`)."""
    specs: dict[str, Field] | None = getattr(obj, "__record_fields__", None)
    if specs is None:
        import dataclasses  # a plain dataclass

        return dataclasses.replace(obj, **changes)  # type: ignore[type-var]
    for name, spec in specs.items():
        if not spec.init:
            if name in changes:
                raise ValueError(
                    f"field {name} is declared with init=False, it cannot be specified with replace()"
                )
            continue
        if name not in changes:
            changes[name] = getattr(obj, name)
    return obj.__class__(**changes)
