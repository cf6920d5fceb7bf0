"""What changes the content hash and what does not."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from dockgen.builders.content_hash import content_hash, content_tag
from dockgen.builders.spec import BuildSpec, SecretSpec
from dockgen.labels import OCI, sanitize_url

BASES = {"busybox": "sha256:" + "a" * 64}


@pytest.fixture
def base_spec(tmp_path: Path) -> BuildSpec:
    (tmp_path / "app.py").write_text("print('hi')\n")
    (tmp_path / "notes.md").write_text("notes\n")
    (tmp_path / ".dockerignore").write_text("*.md\n")
    return BuildSpec(
        name="app", dockerfile="FROM busybox\nCOPY app.py /\n", context=tmp_path, references=("r/app:1",)
    )


def test_stable(base_spec: BuildSpec) -> None:
    assert content_hash(base_spec, BASES) == content_hash(base_spec, BASES)
    assert content_tag(content_hash(base_spec, BASES)).startswith("content-")
    assert len(content_tag(content_hash(base_spec, BASES))) == len("content-") + 32


CHANGES = {
    "dockerfile": lambda s: replace(s, dockerfile=s.dockerfile + "RUN true\n"),
    "build-arg": lambda s: replace(s, build_args={"X": "1"}),
    "platforms": lambda s: replace(s, platforms=("linux/arm64",)),
    "target": lambda s: replace(s, target="final"),
    "label": lambda s: replace(s, labels={"a": "b"}),
    "version-label": lambda s: replace(s, labels={f"{OCI}.version": "2"}),
    "secret-id": lambda s: replace(s, secrets=(SecretSpec("tok", env="HOME"),)),
}


@pytest.mark.parametrize("change", list(CHANGES), ids=list(CHANGES))
def test_inputs_change_the_hash(base_spec: BuildSpec, change: str) -> None:
    assert content_hash(CHANGES[change](base_spec), BASES) != content_hash(base_spec, BASES)


def test_base_digest_changes_the_hash(base_spec: BuildSpec) -> None:
    assert content_hash(base_spec, {"busybox": "sha256:" + "b" * 64}) != content_hash(base_spec, BASES)


def test_context_file_and_mode_change_the_hash(base_spec: BuildSpec) -> None:
    before = content_hash(base_spec, BASES)
    (base_spec.context / "app.py").write_text("print('bye')\n")
    after_edit = content_hash(base_spec, BASES)
    (base_spec.context / "app.py").chmod(0o755)
    assert len({before, after_edit, content_hash(base_spec, BASES)}) == 3


def test_ignored_files_and_volatile_labels_do_not(base_spec: BuildSpec) -> None:
    before = content_hash(base_spec, BASES)
    (base_spec.context / "notes.md").write_text("changed\n")
    (base_spec.context / "more.md").write_text("new\n")
    volatile = replace(base_spec, labels={f"{OCI}.revision": "abc", f"{OCI}.created": "2024-01-01T00:00:00Z"})
    assert content_hash(base_spec, BASES) == before
    assert content_hash(volatile, BASES) == before


URLS = [
    ("https://user:tok3n@github.com/org/repo.git", "https://github.com/org/repo.git"),
    ("git@github.com:org/repo.git", "https://github.com/org/repo.git"),
    ("ssh://git@host.example:2222/org/repo", "https://host.example:2222/org/repo"),
    ("https://github.com/org/repo", "https://github.com/org/repo"),
    ("https://x-access-token:ghs_abc@github.com/o/r?x=1#f", "https://github.com/o/r"),
]


@pytest.mark.parametrize(("url", "clean"), URLS, ids=["https-creds", "scp", "ssh", "clean", "token-query"])
def test_sanitize_url(url: str, clean: str) -> None:
    assert sanitize_url(url) == clean
