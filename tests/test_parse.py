"""The parser against BuildKit's own parser (the `dockerfile` package binds it), a corpus, fuzzing and errors."""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockgen.errors import DockgenError, ParseError
from dockgen.ir import IRInstruction, expand, variable_references
from dockgen.parse import parse_bytes, parse_file, parse_text

CORPUS = sorted((Path(__file__).parent / "corpus").glob("*.Dockerfile"))

oracle = pytest.importorskip("dockerfile", reason="test-only oracle: pip install dockerfile")


def _ours(ins: IRInstruction) -> tuple[Any, ...]:
    kw = ins.keyword
    if kw == "ONBUILD":
        assert ins.sub is not None
        sub = ins.sub
        vals = sub.args or tuple(x for kv in sub.pairs for x in (kv.key, kv.value))
        return ("ONBUILD", ins.line, _end(ins), sub.keyword, tuple(vals))
    val: tuple[Any, ...]
    if kw in ("ENV", "LABEL"):
        val = tuple(x for kv in ins.pairs for x in (kv.key, kv.value))
    elif kw == "ARG":
        val = tuple(kv.key if kv.value is None else f"{kv.key}={kv.value}" for kv in ins.pairs)
    elif kw == "HEALTHCHECK":
        val = ("NONE",) if ins.args == ("NONE",) else ("CMD", *ins.sub.args)  # type: ignore[union-attr]
    else:
        val = ins.args
    is_json = ins.form == "exec" if not (kw == "HEALTHCHECK" and ins.sub) else ins.sub.form == "exec"
    heredocs = tuple((h.name, h.content) for h in ins.heredocs)
    return (kw, ins.line, _end(ins), tuple(str(f) for f in ins.flags), val, is_json, heredocs)


def _end(ins: IRInstruction) -> int:
    assert ins.span is not None
    return ins.span.end_line


def _theirs(text: str) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    for c in oracle.parse_string(text):
        if c.cmd.upper() == "ONBUILD":
            out.append(("ONBUILD", c.start_line, c.end_line, c.sub_cmd.upper(), tuple(c.value)))
            continue
        heredocs = tuple((h.name, h.content) for h in c.heredocs)
        out.append(
            (c.cmd.upper(), c.start_line, c.end_line, tuple(c.flags), tuple(c.value), c.json, heredocs)
        )
    return out


def test_corpus_is_big_enough() -> None:
    assert len(CORPUS) >= 100


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_corpus_matches_buildkit(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    ours = [_ours(i) for i in parse_text(text, str(path)).instructions]
    assert ours == _theirs(text)


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_spans_point_at_the_instruction(path: Path) -> None:
    df = parse_file(path)
    assert df.source is not None
    previous_end = -1
    for ins in df.instructions:
        assert ins.span is not None
        chunk = df.source[ins.span.start : ins.span.end]
        assert chunk.split(None, 1)[0].upper() == ins.keyword
        assert ins.span.start > previous_end
        previous_end = ins.span.end
        lines = df.source[: ins.span.start].count("\n") + 1
        assert lines == ins.span.start_line


def test_multistage_and_directives() -> None:
    df = parse_text(
        "# syntax=docker/dockerfile:1\n# check=skip=all\nARG V=1\nFROM a:1 AS build\nRUN x\nFROM b\nCOPY --from=build /a /b\n"
    )
    assert [d.name for d in df.directives] == ["syntax", "check"]
    assert df.directive("check") == "skip=all"
    assert [s.name for s in df.stages] == ["build", None]
    assert df.stages[0].instructions[0].args == ("x",)
    assert [i.keyword for i in df.global_args] == ["ARG"]
    assert df.stage_by_ref("BUILD") is df.stages[0]
    assert df.stage_by_ref("1") is df.stages[1]


def test_continuations_join_like_buildkit() -> None:
    df = parse_text("FROM a\nRUN apt-get update && \\\n    # comment\n\n    apt-get install -y x\n")
    run = df.instructions[1]
    assert run.args == ("apt-get update &&     apt-get install -y x",)
    assert run.empty_continuation_lines == (4,)
    assert [c.text for c in df.comments] == ["comment"]


def test_backtick_escape() -> None:
    df = parse_text("# escape=`\nFROM a\nRUN echo a `\n  b\nCOPY x c:\\dir\\\n")
    assert df.escape == "`"
    assert df.instructions[1].args == ("echo a   b",)
    assert df.instructions[2].args == ("x", "c:\\dir\\")


def test_heredocs() -> None:
    df = parse_text("FROM a\nRUN <<A cat && <<-'B' cat\none\nA\n\ttwo\n\tB\nCOPY <<EOF /x\nbody\nEOF\n")
    run, copy = df.instructions[1], df.instructions[2]
    assert [(h.name, h.content, h.strip_tabs, h.expand) for h in run.heredocs] == [
        ("A", "one\n", False, True),
        ("B", "\ttwo\n", True, False),
    ]
    assert run.heredocs[1].body == "two\n"
    assert copy.heredocs[0].content == "body\n"
    assert copy.span is not None and copy.span.end_line == 9


def test_flags_quotes_and_separator() -> None:
    df = parse_text('FROM a\nRUN --mount="type=secret,id=a b" --network=none echo\nCOPY -- --x /y\n')
    run = df.instructions[1]
    assert run.flag("network") == "none"
    assert run.mounts == [{"type": "secret", "id": "a b"}]
    assert df.instructions[2].args == ("--x", "/y")


def test_comments_attach_to_next_instruction() -> None:
    df = parse_text("FROM a\n# hadolint ignore=DL3008\n# dockgen: ignore=DG001\nRUN x\n\n# loose\n\nRUN y\n")
    assert [c.text for c in df.instructions[1].comments] == [
        "hadolint ignore=DL3008",
        "dockgen: ignore=DG001",
    ]
    assert df.instructions[2].comments == ()


def test_env_forms() -> None:
    df = parse_text('FROM a\nENV A=1 B="x y"\nENV C hello world\nARG D E=2\n')
    env1, env2, arg = df.instructions[1:]
    assert env1.env_dict() == {"A": "1", "B": "x y"} and not env1.legacy
    assert env2.env_dict() == {"C": "hello world"} and env2.legacy
    assert arg.env_dict() == {"D": "", "E": "2"}


@pytest.mark.parametrize(
    ("text", "line", "col", "needle"),
    [
        ("FROM a\nRUNN x\n", 2, 1, "unknown instruction: RUNN"),
        ("FROM a\n  FORM b\n", 2, 3, "did you mean FROM"),
        ("FROM a b\n", 1, 1, "one or three arguments"),
        ("FROM a TO b\n", 1, 1, "expected AS"),
        ("FROM a\nCOPY onlyone\n", 2, 1, "at least two arguments"),
        ("FROM a\nENV\n", 2, 1, "at least one argument"),
        ("FROM a\nENV A=1 B\n", 2, 1, "can't find ="),
        ("FROM a\nENV A\n", 2, 1, "has no value"),
        ("FROM a\nSHELL /bin/bash -c\n", 2, 1, "JSON form"),
        ("FROM a\nHEALTHCHECK FOO x\n", 2, 1, "unknown type"),
        ("FROM a\nHEALTHCHECK NONE x\n", 2, 1, "takes no arguments"),
        ("FROM a\nRUN <<EOF\nnever ends\n", 2, 1, "never terminated"),
        ("FROM a\nRUN [1, 2]\n", 2, 1, "strings only"),
        ("# escape=x\nFROM a\n", 1, 1, "invalid escape"),
        ("# escape=`\n# escape=`\nFROM a\n", 2, 1, "only one"),
        ("", 1, None, "no instructions"),
        ("# only a comment\n\n", 1, None, "no instructions"),
        ('FROM a\nRUN --mount="unterminated x\n', 2, 1, "unterminated quote"),
        ("FROM a\nWORKDIR\n", 2, 1, "exactly one argument"),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 30 else None,
)
def test_malformed_input_gives_located_error(text: str, line: int, col: int | None, needle: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_text(text, "Dockerfile")
    err = info.value
    assert needle in str(err)
    assert err.line == line
    if col is not None:
        assert err.column == col
    assert str(err).startswith(f"Dockerfile:{line}")


def test_binary_and_non_utf8() -> None:
    with pytest.raises(ParseError, match="binary"):
        parse_bytes(b"FROM a\n\x00\x01\x02", "bin")
    df = parse_bytes(b"FROM a\nLABEL x=\xff\xfe\n", "latin")
    value = df.instructions[1].pairs[0].value
    assert value is not None and value.encode("utf-8", "surrogateescape") == b"\xff\xfe"
    assert parse_bytes(b"\xef\xbb\xbfFROM a\n").instructions[0].keyword == "FROM"


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="no such file"):
        parse_file(tmp_path / "nope")
    with pytest.raises(ParseError, match="directory"):
        parse_file(tmp_path)


@pytest.mark.timeout(30)
def test_huge_inputs_parse() -> None:
    lines = ["FROM alpine"] + [f"RUN echo {i} && \\\n    echo more {i}" for i in range(10_000)]
    df = parse_text("\n".join(lines) + "\n")
    assert len(df.instructions) == 10_001
    big = "FROM alpine\nRUN echo " + "x" * (10 * 1024 * 1024) + "\n"
    assert len(parse_text(big).instructions[1].args[0]) > 10_000_000
    many_continuations = "FROM a\nRUN true" + " \\\n  && true" * 200_000 + "\n"
    assert parse_text(many_continuations).instructions[1].span is not None
    with pytest.raises(ParseError):
        parse_bytes(b"\x00" * (10 * 1024 * 1024))


# ---- fuzzing ---------------------------------------------------------------------------------------------


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_any_text_parses_or_raises_parse_error(text: str) -> None:
    try:
        parse_text(text)
    except ParseError as exc:
        assert exc.line is not None and exc.line >= 1


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_parse_or_raise_parse_error(data: bytes) -> None:
    try:
        parse_bytes(data)
    except DockgenError as exc:
        assert isinstance(exc, ParseError) and exc.line is not None


_word = st.text(alphabet=string.ascii_letters + string.digits + "-_./$={}:", min_size=1, max_size=8)
_arg = st.one_of(
    _word,
    _word.map(lambda w: f'"{w} {w}"'),
    st.lists(_word, min_size=1, max_size=3).map(lambda ws: "[" + ", ".join(f'"{w}"' for w in ws) + "]"),
)
_instruction = st.tuples(
    st.sampled_from(
        [
            "RUN",
            "run",
            "CMD",
            "ENTRYPOINT",
            "COPY",
            "ADD",
            "WORKDIR",
            "USER",
            "EXPOSE",
            "VOLUME",
            "LABEL a=",
            "ENV B=",
            "ARG",
            "STOPSIGNAL",
        ]
    ),
    st.lists(
        st.sampled_from(["", "--link", "--from=x", "--chown=1:1", "--mount=type=cache,target=/c"]), max_size=2
    ),
    st.lists(_arg, min_size=2, max_size=4),
    st.sampled_from([" ", " \\\n  ", " \\\n# c\n  ", " \\\n\n  "]),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_instruction, min_size=1, max_size=6), st.sampled_from(["", "\n", "\n\n", "\n# comment\n"]))
def test_generated_dockerfiles_match_buildkit(
    instrs: list[tuple[str, list[str], list[str], str]], sep: str
) -> None:
    body = []
    for kw, flags, args, joiner in instrs:
        flag_text = " ".join(f for f in flags if f)
        head = (
            kw
            if kw.endswith("=")
            else kw + (" " + flag_text if flag_text and not kw.startswith(("LABEL", "ENV")) else "")
        )
        body.append(
            head + (joiner if not kw.endswith("=") else "") + joiner.join(args)
            if not kw.endswith("=")
            else head + args[0].replace(" ", "_").replace('"', "")
        )
    text = "FROM alpine\n" + sep.join(body) + "\n"
    try:
        theirs = _theirs(text)
    except Exception:
        with pytest.raises(ParseError):
            parse_text(text)
        return
    try:
        ours = [_ours(i) for i in parse_text(text).instructions]
    except ParseError:
        # BuildKit's parser accepts some inputs its dispatcher rejects (e.g. COPY with one argument)
        return
    assert ours == theirs


# ---- variables -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "env", "expected"),
    [
        ("$A", {"A": "1"}, "1"),
        ("${A}x", {"A": "1"}, "1x"),
        ("${A:-d}", {}, "d"),
        ("${A:-d}", {"A": ""}, "d"),
        ("${A-d}", {"A": ""}, ""),
        ("${A:+alt}", {"A": "1"}, "alt"),
        ("${A:+alt}", {}, ""),
        ("${A+alt}", {"A": ""}, "alt"),
        ("\\$A", {"A": "1"}, "$A"),
        ("${A:-${B}}", {"B": "b"}, "b"),
        ("pre-$A-post", {"A": "x"}, "pre-x-post"),
    ],
)
def test_expand(text: str, env: dict[str, str], expected: str) -> None:
    assert expand(text, env) == expected


def test_variable_references() -> None:
    assert variable_references("echo $A ${B} ${C:-$D} '$E' \\$F") == ["A", "B", "C", "D"]
