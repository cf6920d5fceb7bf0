"""dockgen._record: the lint path's value classes behave as the same classes made by dataclasses would.

Each check builds one class both ways from the same body and compares what a user of the class sees."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
from typing import Any, ClassVar

import pytest

from dockgen import _record
from dockgen._record import FrozenInstanceError, field, record, replace


def _both(**params: Any) -> tuple[Any, Any]:
    """The same class body made into a dataclass and into a record."""

    def body() -> type:
        class Point:
            """A point."""

            kind: ClassVar[str] = "point"
            x: int
            y: int = 0
            tags: list[str] = dataclasses.field(default_factory=list)
            note: str | None = dataclasses.field(default=None, repr=False, compare=False)

            def norm(self) -> int:
                return abs(self.x) + abs(self.y)

        return Point

    def rbody() -> type:
        class Point:
            """A point."""

            kind: ClassVar[str] = "point"
            x: int
            y: int = 0
            tags: list[str] = field(default_factory=list)
            note: str | None = field(default=None, repr=False, compare=False)

            def norm(self) -> int:
                return abs(self.x) + abs(self.y)

        return Point

    made = dataclasses.dataclass(**params)(body()), record(**params)(rbody())
    for cls in made:
        cls.__qualname__ = "Point"
    return made


PARAMS = [{}, {"frozen": True}, {"frozen": True, "slots": True}, {"slots": True}]


@pytest.mark.parametrize("params", PARAMS, ids=lambda p: ",".join(p) or "plain")
def test_record_matches_dataclass(params: dict[str, bool]) -> None:
    D, R = _both(**params)
    d, r = D(1, 2, ["a"], note="n"), R(1, 2, ["a"], note="n")
    assert repr(d) == repr(r) == "Point(x=1, y=2, tags=['a'])"
    assert str(inspect.signature(D)) == str(inspect.signature(R))
    assert D.__match_args__ == R.__match_args__ == ("x", "y", "tags", "note")
    assert r == R(1, 2, ["a"], note="other")  # note is not compared
    assert r != R(1, 3, ["a"])
    assert r != d  # a different class is never equal, as with dataclasses
    assert R(1).tags == [] and R(1).tags is not R(1).tags  # a fresh default per instance
    assert R.kind == "point" and "kind" not in {f.name for f in dataclasses.fields(r)}
    assert r.norm() == 3
    if params.get("frozen"):
        with pytest.raises(FrozenInstanceError, match="cannot assign to field 'x'"):
            r.x = 5  # type: ignore[misc]
        with pytest.raises(AttributeError):
            del r.y  # type: ignore[misc]
    else:
        assert D.__hash__ is None and R.__hash__ is None  # mutable with eq: unhashable, as dataclasses
        r.x = 5
        assert r.x == 5
    assert params.get("slots", False) == ("__slots__" in R.__dict__)
    if params.get("slots"):
        with pytest.raises(AttributeError):
            r.other = 1  # type: ignore[attr-defined]


def test_frozen_hash_equals_the_dataclass_hash() -> None:
    @dataclasses.dataclass(frozen=True)
    class D:
        a: int
        b: str = "x"
        c: tuple[int, ...] = ()

    @record(frozen=True, slots=True)
    class R:
        a: int
        b: str = "x"
        c: tuple[int, ...] = ()

    @record(frozen=True)
    class One:
        a: int

    assert hash(R(1, "y", (2,))) == hash(D(1, "y", (2,)))
    assert hash(One(7)) == hash((7,))
    assert len({R(1), R(1), R(2)}) == 2


def test_pickle_and_copy_keep_frozen_slotted_records() -> None:
    for number, params in enumerate(PARAMS):
        _, R = _both(**params)
        R.__qualname__ = R.__name__ = f"_Pickled{number}"
        R.__module__ = __name__
        globals()[R.__name__] = R  # pickle finds classes by module and name
        value = R(1, 2, ["a"], note="n")
        for clone in (pickle.loads(pickle.dumps(value)), copy.copy(value), copy.deepcopy(value)):
            assert clone == value and clone.note == "n"


def test_replace_and_fields() -> None:
    _, R = _both(frozen=True, slots=True)
    value = R(1, 2, ["a"])
    changed = replace(value, y=9)
    assert (changed.x, changed.y, changed.tags) == (1, 9, ["a"]) and value.y == 2
    assert [f.name for f in _record.fields(value)] == ["x", "y", "tags", "note"]
    with pytest.raises(TypeError):
        replace(value, nope=1)

    @dataclasses.dataclass(frozen=True)
    class Plain:
        a: int

    assert replace(Plain(1), a=2) == Plain(2)  # a plain dataclass is handed to dataclasses.replace


def test_the_dataclasses_api_still_works_on_records() -> None:
    """Rule packs may use dataclasses.replace/fields/asdict on the IR classes."""
    from dockgen.ir import Span

    span = Span("Dockerfile", 3, 3, 1, 9)
    assert dataclasses.is_dataclass(span)
    assert dataclasses.replace(span, start_line=4) == Span("Dockerfile", 4, 3, 1, 9)
    assert [f.name for f in dataclasses.fields(span)] == [f.name for f in _record.fields(span)]
    assert dataclasses.asdict(span)["end_col"] == 9


def test_init_false_post_init_and_inheritance() -> None:
    @record
    class Base:
        a: int
        total: int = field(default=0, init=False)
        seen: list[int] = field(default_factory=list, init=False)

        def __post_init__(self) -> None:
            self.total = self.a * 2

    @record
    class Child(Base):
        b: str = "b"

    child = Child(2, "c")
    assert (child.a, child.total, child.seen, child.b) == (2, 4, [], "c")
    assert str(inspect.signature(Child)) == "(a: 'int', b: 'str' = 'b') -> None"
    with pytest.raises(ValueError, match="init=False"):
        replace(child, total=1)


def test_bad_declarations_are_refused_like_dataclasses() -> None:
    with pytest.raises(TypeError, match="non-default argument 'b' follows default argument"):

        @record
        class Order:
            a: int = 0
            b: int

    with pytest.raises(ValueError, match="mutable default"):

        @record
        class Shared:
            items: list[int] = []

    with pytest.raises(ValueError, match="both default and default_factory"):
        field(default=1, default_factory=int)
