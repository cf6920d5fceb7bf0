from __future__ import annotations

import pytest
from _helpers import lines, run
from dockgen_rules.dg132_undefined_variable import UndefinedVariable, plain_references

CATCHES = [
    pytest.param("ARG V=1\nFROM alpine\nCOPY app-$V.tgz /opt/\n", [3], id="global-arg-not-redeclared"),
    pytest.param("FROM scratch\nCOPY app /$APP_DIR/\n", [2], id="scratch-undefined"),
    pytest.param("FROM alpine\nARG APP_HOME=/app\nWORKDIR $APP_HOEM\n", [3], id="typo"),
    pytest.param("FROM scratch\nENV A=1 B=$A\n", [2], id="same-statement"),
    pytest.param("FROM scratch\nLABEL version=${VERSION}\n", [2], id="label"),
    pytest.param("FROM scratch\nUSER $UID\nENV UID=1\n", [2], id="defined-later"),
    pytest.param("ARG V=1\nFROM alpine AS a\nARG V\nFROM a\nCOPY x-$V /\n", [5], id="args-not-inherited"),
]
CLEAN = [
    pytest.param("ARG V=1\nFROM alpine\nARG V\nCOPY app-$V.tgz /opt/\n", id="redeclared"),
    pytest.param("FROM python:3.12\nENV PATH=/app/bin:$PATH\n", id="base-image-env"),
    pytest.param("FROM python:3.12\nWORKDIR $APP_DIR\n", id="unknown-base-env"),
    pytest.param("FROM scratch\nRUN echo $NOPE\n", id="run-left-to-shell"),
    pytest.param("FROM scratch\nCOPY app /${DIR:-opt}/\n", id="default-value"),
    pytest.param("FROM scratch\nCOPY --chmod=755 app /$TARGETARCH/\n", id="predefined"),
    pytest.param("FROM scratch\nENV A=1\nENV B=$A\n", id="defined-before"),
    pytest.param("FROM scratch AS a\nENV A=1\nFROM a\nWORKDIR /$A\n", id="env-inherited"),
    pytest.param("FROM scratch\nLABEL x='$literal'\n", id="single-quoted"),
    pytest.param("FROM scratch\nLABEL x=\\$literal\n", id="escaped"),
    pytest.param("FROM scratch\nARG A\nCOPY $A /x\n", id="arg-without-value"),
]


@pytest.mark.parametrize(("text", "expected"), CATCHES)
def test_catches(text: str, expected: list[int]) -> None:
    assert lines(run(UndefinedVariable, text)) == expected


@pytest.mark.parametrize("text", CLEAN)
def test_does_not_catch(text: str) -> None:
    assert run(UndefinedVariable, text) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        pytest.param("$A ${B} ${C:-x} ${D:+y} ${E:?z} ${F-$G}", ["A", "B", "E", "G"], id="forms"),
        pytest.param("'$A' \\$B \"$C\"", ["C"], id="quoting"),
        pytest.param("$ ${", [], id="dangling"),
    ],
)
def test_plain_references(text: str, names: list[str]) -> None:
    assert plain_references(text) == names


def test_typo_message_suggests() -> None:
    (finding,) = run(UndefinedVariable, "FROM alpine\nARG APP_HOME=/app\nWORKDIR $APP_HOEM\n")
    assert "did you mean $APP_HOME" in finding.message


def test_base_image_path_is_not_a_typo_of_a_declared_name() -> None:
    """PATH comes from the base image: no "did you mean $GOPATH?" after ENV GOPATH."""
    text = "FROM golang:1.22\nENV GOPATH=/go\nENV PATH=$GOPATH/bin:$PATH\n"
    assert run(UndefinedVariable, text) == []


def test_typo_of_a_declared_name_is_still_reported() -> None:
    text = "FROM golang:1.22\nENV GOPATH=/go\nENV X=$GOPAHT/bin\n"
    assert lines(run(UndefinedVariable, text)) == [3]
