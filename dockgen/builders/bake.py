"""A ``docker buildx bake`` file (JSON) for the same images, for teams that prefer bake.

Each image is a target. Its Dockerfile is the one ``dockgen render`` wrote, referenced by path when that file
is fresh (so the bake file can be committed next to it); otherwise the text is inline. Paths (context,
Dockerfile) are relative to the bake file's directory, so the file works from any checkout. Bake reads its
JSON strings as HCL templates: every ``${`` and ``%{`` is escaped (``$${``, ``%%{``) so ``${BASE_IMAGE}`` in
a Dockerfile stays a Dockerfile variable. A project image used as a base becomes
``contexts: {"<FROM ref>": "target:<dependency>"}`` so bake builds it first and links it in one session.
Labels include the content hash, so images built with bake are recognised by ``dockgen build --push`` later.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from dockgen.builders.spec import BuildSpec


def target_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", name)


def escape_hcl(text: str) -> str:
    """Bake evaluates ``${...}`` and ``%{...}`` in its JSON strings; make them literal."""
    return text.replace("${", "$${").replace("%{", "%%{")


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return escape_hcl(value)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {escape_hcl(k): _escaped(v) for k, v in value.items()}
    return value


def _relative(path: Path, base: Path | None) -> str:
    if base is None:
        return str(path)
    rel = os.path.relpath(path, base)
    return rel if rel == "." or rel.startswith(".") else f"./{rel}"


def _rendered(spec: BuildSpec) -> Path | None:
    """The rendered Dockerfile of ``spec`` when it exists on disk with exactly the text to build."""
    path = spec.dockerfile_path
    if path is None:
        return None
    try:
        return path if path.read_bytes() == spec.dockerfile.encode("utf-8") else None
    except OSError:
        return None


def bake_document(
    specs: Sequence[BuildSpec],
    *,
    labels: Mapping[str, Mapping[str, str]] | None = None,
    push: bool = False,
    source_date_epoch: int | None = None,
    base_dir: Path | None = None,
    inline: list[str] | None = None,
) -> dict[str, Any]:
    """The bake document; paths relative to ``base_dir`` (the bake file's directory; None: absolute).
    ``inline`` collects the names of images whose Dockerfile had to be inlined (not rendered, or stale)."""
    by_name = {s.name: s for s in specs}
    targets: dict[str, Any] = {}
    for s in specs:
        t: dict[str, Any] = {"context": _relative(s.context, base_dir)}
        rendered = _rendered(s)
        if rendered is not None:
            t["dockerfile"] = os.path.relpath(rendered, s.context)  # bake: relative to the context
        else:
            t["dockerfile-inline"] = s.dockerfile
            if inline is not None:
                inline.append(s.name)
        t["tags"] = list(s.references)
        if s.platforms:
            t["platforms"] = list(s.platforms)
        args = dict(s.build_args)
        if source_date_epoch is not None:
            args.setdefault("SOURCE_DATE_EPOCH", str(source_date_epoch))
        if args:
            t["args"] = args
        image_labels = {**s.labels, **(labels or {}).get(s.name, {})}
        if image_labels:
            t["labels"] = image_labels
        if s.target:
            t["target"] = s.target
        if s.cache_from:
            t["cache-from"] = list(s.cache_from)
        if s.cache_to:
            t["cache-to"] = list(s.cache_to)
        if s.secrets:
            t["secret"] = [sec.buildx_arg() for sec in s.secrets]
        if s.ssh:
            t["ssh"] = list(s.ssh)
        contexts: dict[str, str] = {}
        for dep in s.depends_on:
            for ref in s.base_images:
                d = by_name[dep]
                if ref in d.references or ref.split(":")[0] in d.repositories or ref == dep:
                    contexts[ref] = f"target:{target_name(dep)}"
        if contexts:
            t["contexts"] = contexts
        if push:
            t["output"] = ["type=image,push=true"]
        targets[target_name(s.name)] = _escaped(t)
    return {"group": {"default": {"targets": list(targets)}}, "target": targets}


def bake_text(document: Mapping[str, Any]) -> str:
    return json.dumps(document, indent=2) + "\n"


def write_bake_file(path: Path, document: Mapping[str, Any]) -> None:
    from dockgen.safe_write import replace_file

    replace_file(path, bake_text(document).encode("utf-8"), what="bake file")
