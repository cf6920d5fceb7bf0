"""A ``docker buildx bake`` file (JSON) for the same images, for teams that prefer bake.

Each image is a target with its Dockerfile inline; a project image used as a base becomes
``contexts: {"<FROM ref>": "target:<dependency>"}`` so bake builds it first and links it in one session.
Labels include the content hash, so images built with bake are recognised by ``dockgen build --push`` later.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from dockgen.builders.spec import BuildSpec


def target_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", name)


def bake_document(
    specs: Sequence[BuildSpec],
    *,
    labels: Mapping[str, Mapping[str, str]] | None = None,
    push: bool = False,
    source_date_epoch: int | None = None,
) -> dict[str, Any]:
    by_name = {s.name: s for s in specs}
    targets: dict[str, Any] = {}
    for s in specs:
        t: dict[str, Any] = {
            "context": str(s.context),
            "dockerfile-inline": s.dockerfile,
            "tags": list(s.references),
        }
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
        targets[target_name(s.name)] = t
    return {"group": {"default": {"targets": list(targets)}}, "target": targets}


def write_bake_file(path: Path, document: Mapping[str, Any]) -> None:
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
