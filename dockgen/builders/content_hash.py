"""The content hash: one sha256 over everything that shapes an image.

Covered: the rendered Dockerfile, every context file BuildKit would send (path, executable bit, bytes;
symlinks by their target text) after ``.dockerignore``, build args, platforms, target, labels (minus the
volatile ``created``/``revision``), secret and ssh *ids* (never values), and the digest of every base image.
The hash is stored in the image as the label ``io.dockgen.content-hash`` and addresses the image in the
registry through the tag ``content-<first 32 hex digits>`` (see docs/build.md, "Skipping unchanged images").
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Mapping
from pathlib import Path

from dockgen.builders.spec import BuildSpec
from dockgen.dockerignore import context_files
from dockgen.labels import stable_labels

HASH_VERSION = "1"
CONTENT_TAG_PREFIX = "content-"


def hash_context(context: Path, dockerignore: str | None) -> str:
    """sha256 over the files of a build context, after ``.dockerignore``."""
    h = hashlib.sha256()
    for rel in context_files(context, dockerignore):
        full = context / rel
        st = os.lstat(full)
        h.update(rel.encode() + b"\0")
        if stat.S_ISLNK(st.st_mode):
            h.update(b"L" + os.readlink(full).encode() + b"\0")
            continue
        h.update(b"X" if st.st_mode & 0o111 else b"F")
        with open(full, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        h.update(b"\0")
    return h.hexdigest()


def content_hash(spec: BuildSpec, base_digests: Mapping[str, str], context_digest: str | None = None) -> str:
    """The content hash of ``spec`` given the resolved digests of its base images."""
    document = {
        "v": HASH_VERSION,
        "dockerfile": spec.dockerfile,
        "context": context_digest or hash_context(spec.context, spec.dockerignore),
        "build_args": dict(sorted(spec.build_args.items())),
        "platforms": sorted(spec.platforms),
        "target": spec.target,
        "labels": dict(sorted(stable_labels(spec.labels).items())),
        "secrets": sorted(s.id for s in spec.secrets),
        "ssh": sorted(spec.ssh),
        "bases": dict(sorted(base_digests.items())),
    }
    return hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()


def content_tag(digest_hex: str) -> str:
    return CONTENT_TAG_PREFIX + digest_hex[:32]
