"""Small synthetic images pushed with the real registry client: single manifests, multi-platform indexes with a
BuildKit-style attestation manifest, cosign ``.sig`` tags and OCI tag-schema (``sha256-<hex>``) referrers.

Blobs are a few bytes; the registry stores and serves them like any image (it does not look inside layers).
Each builder returns the digests it created and the edges between them, so tests can compute what must stay
reachable without asking the code under test.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field

from dockgen.registry import RegistryClient, sha256_digest
from dockgen.registry import mediatypes as mt

PUSHED_AT = "io.dockgen.pushed-at"


def rfc3339(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Pushed:
    """What was uploaded: the top digest, every manifest digest and the edges parent -> children."""

    digest: str
    manifests: set[str] = field(default_factory=set)
    edges: dict[str, set[str]] = field(default_factory=dict)

    def add(self, parent: str, child: str) -> None:
        self.edges.setdefault(parent, set()).add(child)
        self.manifests.update((parent, child))


def _blob(client: RegistryClient, repo: str, data: bytes, media_type: str) -> dict[str, object]:
    desc = client.upload_blob(repo, data, media_type=media_type)
    return {"mediaType": media_type, "digest": desc.digest, "size": desc.size}


def _manifest(
    config: dict[str, object],
    layers: list[dict[str, object]],
    annotations: dict[str, str] | None = None,
    **extra: object,
) -> bytes:
    doc: dict[str, object] = {
        "schemaVersion": 2,
        "mediaType": mt.OCI_MANIFEST,
        "config": config,
        "layers": layers,
    }
    doc.update(extra)
    if annotations:
        doc["annotations"] = annotations
    return json.dumps(doc, sort_keys=True).encode()


def push_image(
    client: RegistryClient,
    repo: str,
    *,
    arch: str = "amd64",
    pushed_at: dt.datetime | None = None,
    where: str = "annotation",
    created: dt.datetime | None = None,
    tag: str | None = None,
    salt: bytes | None = None,
) -> Pushed:
    """A single-platform image. ``where`` puts the push time in the manifest ``annotation`` or config ``label``."""
    salt = salt if salt is not None else os.urandom(8)
    labels = {PUSHED_AT: rfc3339(pushed_at)} if pushed_at is not None and where == "label" else {}
    cfg: dict[str, object] = {
        "architecture": arch,
        "os": "linux",
        "config": {"Labels": labels},
        "rootfs": {"type": "layers", "diff_ids": []},
    }
    if created is not None:
        cfg["created"] = rfc3339(created)
    config = _blob(client, repo, json.dumps(cfg, sort_keys=True).encode(), mt.OCI_CONFIG)
    layer = _blob(client, repo, b"layer " + salt + arch.encode(), mt.OCI_LAYER_GZIP)
    ann = {PUSHED_AT: rfc3339(pushed_at)} if pushed_at is not None and where == "annotation" else None
    raw = _manifest(config, [layer], ann)
    digest = client.put_manifest(repo, tag or sha256_digest(raw), raw, mt.OCI_MANIFEST)
    return Pushed(digest, {digest})


def push_index(
    client: RegistryClient,
    repo: str,
    *,
    pushed_at: dt.datetime | None = None,
    tag: str | None = None,
    attestation: bool = True,
) -> Pushed:
    """An index with linux/amd64 and linux/arm64 children and (optionally) an attestation manifest for amd64."""
    salt = os.urandom(8)
    out = Pushed("")
    children: list[dict[str, object]] = []
    for arch in ("amd64", "arm64"):
        img = push_image(client, repo, arch=arch, pushed_at=pushed_at, salt=salt)
        m = client.get_manifest(repo, img.digest)
        children.append(
            {
                "mediaType": mt.OCI_MANIFEST,
                "digest": img.digest,
                "size": m.size,
                "platform": {"architecture": arch, "os": "linux"},
            }
        )
    if attestation:
        config = _blob(
            client,
            repo,
            b'{"architecture":"unknown","os":"unknown","rootfs":{"type":"layers"}}',
            mt.OCI_CONFIG,
        )
        statement = json.dumps({"_type": "https://in-toto.io/Statement/v0.1", "salt": salt.hex()}).encode()
        layer = _blob(client, repo, statement, mt.IN_TOTO)
        layer["annotations"] = {"in-toto.io/predicate-type": "https://slsa.dev/provenance/v0.2"}
        raw = _manifest(config, [layer])
        att = client.put_manifest(repo, sha256_digest(raw), raw, mt.OCI_MANIFEST)
        children.append(
            {
                "mediaType": mt.OCI_MANIFEST,
                "digest": att,
                "size": len(raw),
                "platform": {"architecture": "unknown", "os": "unknown"},
                "annotations": {
                    mt.REFERENCE_TYPE_ANNOTATION: mt.ATTESTATION_MANIFEST,
                    mt.REFERENCE_DIGEST_ANNOTATION: str(children[0]["digest"]),
                },
            }
        )
    doc: dict[str, object] = {"schemaVersion": 2, "mediaType": mt.OCI_INDEX, "manifests": children}
    if pushed_at is not None:
        doc["annotations"] = {PUSHED_AT: rfc3339(pushed_at)}
    raw = json.dumps(doc, sort_keys=True).encode()
    digest = client.put_manifest(repo, tag or sha256_digest(raw), raw, mt.OCI_INDEX)
    out.digest = digest
    out.manifests.add(digest)
    for c in children:
        out.add(digest, str(c["digest"]))
    return out


def push_cosign_signature(client: RegistryClient, repo: str, subject: str) -> Pushed:
    """A cosign-style signature manifest tagged ``sha256-<hex>.sig``."""
    config = _blob(client, repo, json.dumps({"salt": os.urandom(4).hex()}).encode(), mt.OCI_CONFIG)
    payload = json.dumps({"critical": {"image": {"docker-manifest-digest": subject}}}).encode()
    layer = _blob(client, repo, payload, "application/vnd.dev.cosign.simplesigning.v1+json")
    layer["annotations"] = {"dev.cosignproject.cosign/signature": "MEUCIQ-fake-signature"}
    raw = _manifest(config, [layer])
    tag = subject.replace(":", "-", 1) + ".sig"
    digest = client.put_manifest(repo, tag, raw, mt.OCI_MANIFEST)
    out = Pushed(digest, {digest})
    out.add(subject, digest)
    return out


def push_tag_schema_referrer(client: RegistryClient, repo: str, subject: str) -> Pushed:
    """An artifact with ``subject`` pushed by digest, listed in an index tagged ``sha256-<hex>`` (the OCI
    referrers tag schema used when the registry has no referrers API)."""
    subj = client.head_manifest(repo, subject)
    config = _blob(client, repo, b"{}", mt.OCI_EMPTY)
    layer = _blob(client, repo, json.dumps({"sbom": os.urandom(4).hex()}).encode(), "application/spdx+json")
    raw = _manifest(
        config,
        [layer],
        artifactType="application/spdx+json",
        subject={"mediaType": subj.media_type, "digest": subj.digest, "size": subj.size},
    )
    art = client.put_manifest(repo, sha256_digest(raw), raw, mt.OCI_MANIFEST)
    idx = {
        "schemaVersion": 2,
        "mediaType": mt.OCI_INDEX,
        "manifests": [
            {
                "mediaType": mt.OCI_MANIFEST,
                "digest": art,
                "size": len(raw),
                "artifactType": "application/spdx+json",
            }
        ],
    }
    idx_raw = json.dumps(idx, sort_keys=True).encode()
    idx_digest = client.put_manifest(repo, subject.replace(":", "-", 1), idx_raw, mt.OCI_INDEX)
    out = Pushed(idx_digest)
    out.add(subject, idx_digest)
    out.add(subject, art)
    out.add(idx_digest, art)
    return out
