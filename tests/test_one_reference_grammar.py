"""One image-reference grammar for all of dockgen: the parts that used to carry their own copy (the registry
client's parser, tag computation, build specs, the parsed FROM line, the build configuration) now agree."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockgen.builders.spec import BuildSpec
from dockgen.errors import DockgenError
from dockgen.ir import FromInfo
from dockgen.reference import (
    parse_reference,
    split_image,
    split_reference,
    validate_repository,
    validate_tag,
)

TAGS = [
    ("1.0", True),
    ("_private", True),
    ("A-b.c_9", True),
    ("x" * 128, True),
    ("café", False),  # \w of the distribution grammar is ASCII only (the registry parser used to accept it)
    ("ünïcode", False),
    (".hidden", False),
    ("-dash", False),
    ("x" * 129, False),
    ("1.0+build", False),
    ("a b", False),
]


@pytest.mark.parametrize(("tag", "valid"), TAGS, ids=[t[:12] for t, _ in TAGS])
def test_tag_grammar_is_the_same_for_parsing_and_composing(tag: str, valid: bool) -> None:
    def parses() -> bool:
        try:
            parse_reference(f"registry.example.com/team/app:{tag}")
        except DockgenError:
            return False
        return True

    def composes() -> bool:
        try:
            validate_tag(tag)
        except DockgenError:
            return False
        return True

    assert parses() is valid
    assert composes() is valid


REPOSITORIES = [
    ("team/app", True),
    ("a__b/c-d.e", True),
    ("Team/app", False),
    ("team//app", False),
    ("app_", False),
    ("caf\u00e9", False),
]


@pytest.mark.parametrize(("repository", "valid"), REPOSITORIES, ids=[r for r, _ in REPOSITORIES])
def test_repository_grammar_is_the_same_for_parsing_and_composing(repository: str, valid: bool) -> None:
    def parses() -> bool:
        try:
            parse_reference(f"registry.example.com/{repository}:1")
        except DockgenError:
            return False
        return True

    def composes() -> bool:
        try:
            validate_repository(repository)
        except DockgenError:
            return False
        return True

    assert parses() is valid
    assert composes() is valid


SPLITS = [
    ("nginx", "nginx", None, None),
    ("nginx:1.25", "nginx", "1.25", None),
    ("localhost:5000/team/app:2", "localhost:5000/team/app", "2", None),
    ("localhost:5000/team/app", "localhost:5000/team/app", None, None),
    ("app@sha256:" + "ab" * 32, "app", None, "sha256:" + "ab" * 32),
    ("app:1@sha256:" + "ab" * 32, "app", "1", "sha256:" + "ab" * 32),
    ("${BASE}:${TAG}", "${BASE}", "${TAG}", None),
]


@pytest.mark.parametrize(("text", "name", "tag", "digest"), SPLITS, ids=[s[0][:30] for s in SPLITS])
def test_the_from_line_the_build_spec_and_the_parser_split_alike(
    text: str, name: str, tag: str | None, digest: str | None
) -> None:
    assert split_image(text) == (name, tag, digest)
    info = FromInfo(image=text, name=None, platform=None)
    assert (info.repository, info.tag, info.digest) == (name, tag, digest)
    if digest is not None:
        assert split_reference(text) == (text.split("@")[0], "@" + digest)
    else:
        assert split_reference(text) == (name, tag or "latest")
    if "$" not in text:
        parsed = parse_reference(text, default_registry="localhost:5000")
        assert parsed.tag == tag
        assert parsed.digest == digest


def test_a_build_spec_refuses_a_reference_without_tag() -> None:
    with pytest.raises(DockgenError, match="has no tag"):
        BuildSpec(
            name="app",
            dockerfile="FROM scratch\n",
            context=Path("."),
            references=("registry.example.com/app",),
        )
    spec = BuildSpec(name="app", dockerfile="FROM scratch\n", context=Path("."), references=(REF_BY_DIGEST,))
    assert spec.repositories == ("registry.example.com/app",)


REF_BY_DIGEST = "registry.example.com/app@sha256:" + "ab" * 32
