"""``dockgen inspect`` on hand-built images in a real registry."""

from __future__ import annotations

import json

import pytest

from dockgen.cli import main

pytestmark = pytest.mark.registry


def test_inspect_index_shows_platforms_layers_labels_attestations_and_referrers(
    oci, plain_registry, capsys
) -> None:  # type: ignore[no-untyped-def]
    amd = oci.image(
        arch="amd64",
        labels={"org.opencontainers.image.source": "https://example.test/app"},
        layers=[b"a" * 1500, b"b" * 20],
    )
    arm = oci.image(arch="arm64", created="2024-06-01T00:00:00Z")
    att = oci.attestation(amd)
    idx = oci.index("1.0", [(amd, "linux/amd64"), (arm, "linux/arm64")], attestations=[(att, amd)])
    oci.client.add_tags(oci.repo, idx.digest, ["latest"])
    sbom = oci.artifact(idx, "application/spdx+json")
    oci.referrers_tag(idx, [(sbom, "application/spdx+json")])
    sig = oci.cosign(amd, ".sig")
    ref = f"{plain_registry.addr}/{oci.repo}:1.0"

    assert main(argv=["inspect", ref, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["digest"] == idx.digest
    assert data["tags"] == sorted(
        ["1.0", "latest", idx.digest.replace(":", "-"), amd.digest.replace(":", "-") + ".sig"]
    )
    plats = {p["platform"]: p for p in data["platforms"]}
    assert set(plats) == {"linux/amd64", "linux/arm64"}
    assert plats["linux/amd64"]["digest"] == amd.digest
    assert [layer["size"] for layer in plats["linux/amd64"]["layers"]] == [1500, 20]
    assert plats["linux/amd64"]["size"] == 1520
    assert plats["linux/amd64"]["labels"] == {"org.opencontainers.image.source": "https://example.test/app"}
    assert plats["linux/arm64"]["created"] == "2024-06-01T00:00:00Z"
    assert data["attestations"] == [
        {
            "digest": att.digest,
            "subject": amd.digest,
            "subject_platform": "linux/amd64",
            "predicate_types": ["https://spdx.dev/Document"],
        }
    ]
    refs = {(r["digest"], r["subject"], r["source"]) for r in data["referrers"]}
    assert refs == {(sbom.digest, idx.digest, "tag-schema"), (sig.digest, amd.digest, "cosign")}

    assert main(argv=["inspect", ref]) == 0
    text = capsys.readouterr().out
    assert f"digest:      {idx.digest}" in text
    assert f"linux/amd64      {amd.digest}  2 layers, 1.5 kB" in text
    assert "label org.opencontainers.image.source=https://example.test/app" in text
    assert f"{att.digest}  for linux/amd64: https://spdx.dev/Document" in text
    assert f"{sbom.digest}  application/spdx+json -> index (via tag-schema)" in text
    assert f"{sig.digest}  application/vnd.dev.cosign.sig -> linux/amd64 (via cosign)" in text


def test_inspect_single_docker_image(oci, plain_registry, capsys) -> None:  # type: ignore[no-untyped-def]
    img = oci.image("v1", docker=True, arch="arm64")
    assert (
        main(argv=["inspect", f"{plain_registry.addr}/{oci.repo}@{img.digest}", "--json", "--no-referrers"])
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["media_type"] == "application/vnd.docker.distribution.manifest.v2+json"
    assert [p["platform"] for p in data["platforms"]] == ["linux/arm64"]
    assert data["referrers"] == [] and data["attestations"] == []


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("{addr}/{repo}:missing", "not found\n  hint: the repository has 1 tag(s): v1"),
        ("{addr}/{repo}-nope:1", "unknown to the registry"),
        ("{addr}/Bad/Name:1", "must be lowercase"),
        ("{addr}/{repo}@sha256:abc", "invalid digest"),
    ],
    ids=["unknown-tag", "unknown-repo", "uppercase", "bad-digest"],
)
def test_inspect_errors_are_actionable(oci, plain_registry, capsys, ref: str, message: str) -> None:  # type: ignore[no-untyped-def]
    oci.image("v1")
    rc = main(argv=["inspect", ref.format(addr=plain_registry.addr, repo=oci.repo)])
    err = capsys.readouterr().err
    assert rc in (1, 2)
    assert message in err
    assert "Traceback" not in err
