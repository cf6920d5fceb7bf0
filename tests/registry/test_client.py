"""RegistryClient against a real, private distribution 2.8 registry (see conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from dockgen.registry import (
    BlobNotFoundError,
    ManifestNotFoundError,
    RegistryClient,
    RepositoryNotFoundError,
    UnsupportedError,
    copy_image,
    list_tags,
    reachable_digests,
    sha256_digest,
)
from dockgen.registry import mediatypes as mt

pytestmark = pytest.mark.registry


# --------------------------------------------------------------------------- probing


def test_probe_plain_registry(plain_client: RegistryClient, plain_registry) -> None:  # type: ignore[no-untyped-def]
    caps = plain_client.probe()
    assert caps.url == f"http://{plain_registry.addr}"  # loopback: HTTPS tried, HTTP fallback
    assert caps.api_version == "registry/2.0"
    assert caps.auth == "none"
    assert caps.authenticated


def test_probe_with_repository_reports_missing_referrers_api_and_tag_paging(oci) -> None:  # type: ignore[no-untyped-def]
    oci.image("a")
    oci.image("b")
    caps = oci.client.probe(oci.repo)
    assert caps.referrers_api is False  # distribution 2.8 has no referrers API
    assert caps.tag_pagination is False  # ...and ignores n on the tags list


def test_insecure_false_forbids_http_fallback(plain_registry, docker_config) -> None:  # type: ignore[no-untyped-def]
    from dockgen.registry import TLSError

    with RegistryClient(plain_registry.addr, insecure=False) as c, pytest.raises(TLSError) as err:
        c.probe()
    assert "DOCKGEN_INSECURE_REGISTRIES" in str(err.value)


# --------------------------------------------------------------------------- manifests of every media type


@pytest.mark.parametrize("docker", [False, True], ids=["oci-manifest", "docker-schema2"])
def test_image_manifest_roundtrip_and_head_get_digest_equality(oci, docker: bool) -> None:  # type: ignore[no-untyped-def]
    pushed = oci.image("v1", docker=docker, labels={"org.example": "x"})
    m = oci.client.get_manifest(oci.repo, "v1")
    assert m.media_type == (mt.DOCKER_MANIFEST if docker else mt.OCI_MANIFEST)
    assert m.raw == pushed.raw  # byte for byte
    assert m.digest == pushed.digest == sha256_digest(m.raw)
    head = oci.client.head_manifest(oci.repo, "v1")
    assert head.digest == m.digest
    assert head.media_type == m.media_type
    assert head.size == len(m.raw)
    by_digest = oci.client.get_manifest(oci.repo, m.digest)
    assert by_digest.raw == m.raw
    assert m.config is not None and m.config.media_type == (mt.DOCKER_CONFIG if docker else mt.OCI_CONFIG)
    assert len(m.layers) == 1


@pytest.mark.parametrize("docker", [False, True], ids=["oci-index", "docker-manifest-list"])
def test_index_with_two_platforms_and_an_attestation(oci, docker: bool) -> None:  # type: ignore[no-untyped-def]
    amd = oci.image(docker=docker, arch="amd64")
    arm = oci.image(docker=docker, arch="arm64")
    att = oci.attestation(amd)
    idx = oci.index(
        "multi", [(amd, "linux/amd64"), (arm, "linux/arm64")], docker=docker, attestations=[(att, amd)]
    )
    m = oci.client.get_manifest(oci.repo, "multi")
    assert m.is_index
    assert m.media_type == (mt.DOCKER_MANIFEST_LIST if docker else mt.OCI_INDEX)
    assert m.digest == idx.digest
    assert [str(d.platform) for d in m.manifests] == ["linux/amd64", "linux/arm64", "unknown/unknown"]
    assert [d.is_attestation for d in m.manifests] == [False, False, True]
    assert oci.client.head_manifest(oci.repo, "multi").digest == idx.digest


def test_accept_header_limits_what_the_registry_returns(oci) -> None:  # type: ignore[no-untyped-def]
    oci.image("only-oci")
    with pytest.raises(
        ManifestNotFoundError
    ):  # distribution answers 404 for an OCI manifest to a docker-only Accept
        oci.client.get_manifest(oci.repo, "only-oci", accept=mt.DOCKER_MANIFEST)


def test_unknown_tag_and_repository_errors(oci) -> None:  # type: ignore[no-untyped-def]
    oci.image("v1")
    with pytest.raises(ManifestNotFoundError) as err:
        oci.client.get_manifest(oci.repo, "nope")
    assert f"{oci.repo}:nope not found" in str(err.value)
    assert not oci.client.manifest_exists(oci.repo, "nope")
    with pytest.raises(RepositoryNotFoundError) as err2:
        oci.client.list_tags(oci.repo + "-missing")
    assert "unknown to the registry" in str(err2.value)


# --------------------------------------------------------------------------- tags and pagination


def test_list_tags_complete_even_when_the_registry_ignores_n(oci) -> None:  # type: ignore[no-untyped-def]
    first = oci.image("t0")
    wanted = [f"t{i}" for i in range(12)]
    result = oci.client.add_tags(oci.repo, first.digest, wanted)
    assert result.added == wanted[1:] and result.unchanged == ["t0"]
    assert sorted(oci.client.list_tags(oci.repo, page_size=5)) == sorted(wanted)
    assert sorted(oci.client.list_tags(oci.repo)) == sorted(wanted)


def test_catalog_pagination_follows_link_headers(plain_registry, docker_config) -> None:  # type: ignore[no-untyped-def]
    from dockgen.registry import RegistryClient as C

    # the catalog of distribution 2.8 honours n and sends Link: <...>; rel="next" (its tags list does not)
    with C(plain_registry.addr) as c:
        prefix = plain_registry.repo("page")
        names = [f"{prefix}-{i:02d}" for i in range(7)]
        for n in names:
            c.upload_blob(n, b"x")
        raw = requests.get(f"{plain_registry.url}/v2/_catalog", params={"n": 3}, timeout=10)
        assert 'rel="next"' in raw.headers["Link"]
        assert len(raw.json()["repositories"]) == 3
        every = c.list_repositories(page_size=3)
        assert set(names) <= set(every)
        assert every == sorted(every) and len(every) == len(set(every))


def test_convenience_list_tags_and_new_repository(oci, plain_registry) -> None:  # type: ignore[no-untyped-def]
    oci.image("1.0")
    assert list_tags(f"{plain_registry.addr}/{oci.repo}:whatever") == ["1.0"]
    assert list_tags(f"{plain_registry.addr}/{oci.repo}-new") == []


def test_add_tags_leaves_conflicting_tags_unless_overwrite(oci) -> None:  # type: ignore[no-untyped-def]
    a = oci.image("a")
    b = oci.image("b")
    res = oci.client.add_tags(oci.repo, a.digest, ["a", "b", "c"])
    assert (res.added, res.unchanged, res.conflicting) == (["c"], ["a"], ["b"])
    assert oci.client.resolve(oci.repo, "b") == b.digest
    res = oci.client.add_tags(oci.repo, a.digest, ["b"], overwrite=True)
    assert res.added == ["b"] and oci.client.resolve(oci.repo, "b") == a.digest


def test_tag_helper_puts_the_same_bytes_under_a_new_tag(oci) -> None:  # type: ignore[no-untyped-def]
    src = oci.image("src", docker=True)
    assert oci.client.tag(oci.repo, "src", "copy") == src.digest
    assert oci.client.get_manifest(oci.repo, "copy").raw == src.raw


# --------------------------------------------------------------------------- blobs


def test_chunked_and_file_uploads_and_blob_reads(oci, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = bytes(range(256)) * 1000
    desc = oci.client.upload_blob(oci.repo, data, chunk_size=64 * 1024)
    assert desc.digest == sha256_digest(data) and desc.size == len(data)
    assert oci.client.get_blob(oci.repo, desc.digest) == data
    assert oci.client.head_blob(oci.repo, desc.digest).size == len(data)
    f = tmp_path / "blob"
    f.write_bytes(data[::-1])
    d2 = oci.client.upload_blob(oci.repo, f)
    out = tmp_path / "out"
    assert oci.client.download_blob(oci.repo, d2.digest, out) == len(data)
    assert out.read_bytes() == data[::-1]
    with pytest.raises(BlobNotFoundError):
        oci.client.get_blob(oci.repo, sha256_digest(b"never uploaded"))


def test_cross_repository_mount(oci, plain_registry) -> None:  # type: ignore[no-untyped-def]
    desc = oci.client.upload_blob(oci.repo, b"shared layer " * 100)
    other = plain_registry.repo()
    assert not oci.client.blob_exists(other, desc.digest)
    assert oci.client.mount_blob(other, desc.digest, oci.repo) is True
    assert oci.client.blob_exists(other, desc.digest)
    # a blob the source does not have: the registry opens an upload instead (which we cancel)
    assert oci.client.mount_blob(other, sha256_digest(b"nope"), oci.repo) is False


def test_copy_image_index_between_repositories(oci, plain_registry) -> None:  # type: ignore[no-untyped-def]
    amd = oci.image(arch="amd64")
    arm = oci.image(arch="arm64")
    idx = oci.index("1.0", [(amd, "linux/amd64"), (arm, "linux/arm64")])
    dst = plain_registry.repo()
    assert copy_image(oci.client, oci.repo, "1.0", oci.client, dst, "1.0") == idx.digest
    assert oci.client.list_tags(dst) == ["1.0"]
    for child in (amd, arm):
        m = oci.client.get_manifest(dst, child.digest)
        for layer in m.layers:
            assert oci.client.blob_exists(dst, layer.digest)


# --------------------------------------------------------------------------- deletes


def test_delete_by_digest_removes_the_manifest_and_its_tags(oci) -> None:  # type: ignore[no-untyped-def]
    keep = oci.image("keep")
    gone = oci.image("gone")
    oci.client.add_tags(oci.repo, gone.digest, ["gone-alias"])
    oci.client.delete_manifest(oci.repo, gone.digest)
    assert oci.client.list_tags(oci.repo) == ["keep"]
    with pytest.raises(ManifestNotFoundError):
        oci.client.get_manifest(oci.repo, gone.digest)
    assert oci.client.resolve(oci.repo, "keep") == keep.digest
    with pytest.raises(ManifestNotFoundError):
        oci.client.delete_manifest(oci.repo, gone.digest)


def test_delete_by_tag_is_reported_as_unsupported_by_distribution_2(oci) -> None:  # type: ignore[no-untyped-def]
    oci.image("v1")
    with pytest.raises(UnsupportedError) as err:
        oci.client.delete_tag(oci.repo, "v1")
    text = str(err.value)
    assert "by digest only" in text and "every tag pointing at it" in text
    assert oci.client.list_tags(oci.repo) == ["v1"]


def test_delete_refused_when_deletes_are_disabled(nodelete_registry, docker_config, oci_builder) -> None:  # type: ignore[no-untyped-def]
    with RegistryClient(nodelete_registry.addr) as c:
        b = oci_builder(c, nodelete_registry.repo())
        img = b.image("v1")
        with pytest.raises(UnsupportedError) as err:
            c.delete_manifest(b.repo, img.digest)
    text = str(err.value)
    assert "refuses deletes (405/UNSUPPORTED)" in text
    assert "storage.delete.enabled" in text and "vendor API" in text


# --------------------------------------------------------------------------- referrers and reachability


def test_referrers_fall_back_to_the_tag_schema_and_cosign_tags(oci) -> None:  # type: ignore[no-untyped-def]
    img = oci.image("v1")
    sbom = oci.artifact(img, "application/spdx+json")
    sig = oci.artifact(img, "application/vnd.dev.cosign.artifact.sig.v1+json")
    fallback = oci.referrers_tag(
        img, [(sbom, "application/spdx+json"), (sig, "application/vnd.dev.cosign.artifact.sig.v1+json")]
    )
    cosign_sig = oci.cosign(img, ".sig")
    cosign_att = oci.cosign(img, ".att")
    found = oci.client.referrers(oci.repo, img.digest)
    by_source = {(d.source, d.digest) for d in found}
    assert by_source == {
        ("tag-schema", sbom.digest),
        ("tag-schema", sig.digest),
        ("cosign", cosign_sig.digest),
        ("cosign", cosign_att.digest),
    }
    assert [
        d.digest for d in oci.client.referrers(oci.repo, img.digest, artifact_type="application/spdx+json")
    ] == [sbom.digest]
    # the fallback index and cosign tags are artifacts too; the unrelated image is not reachable
    other = oci.image("other")
    reach = reachable_digests(oci.client, oci.repo, img.digest)
    assert reach == {
        img.digest,
        sbom.digest,
        sig.digest,
        fallback.digest,
        cosign_sig.digest,
        cosign_att.digest,
    }
    assert other.digest not in reach


def test_reachable_digests_of_an_index(oci) -> None:  # type: ignore[no-untyped-def]
    amd = oci.image(arch="amd64")
    arm = oci.image(arch="arm64")
    att = oci.attestation(amd)
    idx = oci.index("1.0", [(amd, "linux/amd64"), (arm, "linux/arm64")], attestations=[(att, amd)])
    sig = oci.cosign(idx, ".sig")
    arm_sbom = oci.artifact(arm)
    oci.referrers_tag(arm, [(arm_sbom, "application/vnd.example.sbom+json")])
    arm_fallback = oci.client.resolve(oci.repo, arm.digest.replace(":", "-"))
    reach = reachable_digests(oci.client, oci.repo, idx.digest)
    assert reach == {
        idx.digest,
        amd.digest,
        arm.digest,
        att.digest,
        sig.digest,
        arm_sbom.digest,
        arm_fallback,
    }
    with_blobs = reachable_digests(oci.client, oci.repo, idx.digest, include_blobs=True)
    m = oci.client.get_manifest(oci.repo, amd.digest)
    assert m.config is not None and m.config.digest in with_blobs
    assert all(layer.digest in with_blobs for layer in m.layers)


def test_manifest_from_the_registry_is_what_json_says(oci) -> None:  # type: ignore[no-untyped-def]
    img = oci.image("v1", labels={"a": "b"})
    m = oci.client.get_manifest(oci.repo, img.digest)
    assert m.data == json.loads(img.raw)


def test_referrers_api_answer_is_used_when_the_registry_has_one(oci, docker_config) -> None:  # type: ignore[no-untyped-def]
    """distribution 2.8 has no referrers API, so the proxy answers that one endpoint as OCI 1.1 specifies."""
    from dockgen.registry import RetryPolicy
    from tests.support.faults import Fault, FaultProxy

    img = oci.image("v1")
    sbom = oci.artifact(img, "application/spdx+json")
    sig = oci.artifact(img, "application/vnd.dev.cosign.artifact.sig.v1+json")
    answer = {
        "schemaVersion": 2,
        "mediaType": mt.OCI_INDEX,
        "manifests": [
            sbom.descriptor(artifactType="application/spdx+json"),
            sig.descriptor(artifactType="application/vnd.dev.cosign.artifact.sig.v1+json"),
        ],
    }
    base = oci.client.base_url
    with FaultProxy(base) as proxy:
        proxy.script(
            Fault.status(
                200,
                times=3,
                path="/referrers/",
                headers={"Content-Type": mt.OCI_INDEX},
                body=json.dumps(answer).encode(),
            )
        )
        with RegistryClient(proxy.addr, retry=RetryPolicy(attempts=1)) as c:
            found = c.referrers(oci.repo, img.digest)
            assert [(d.digest, d.source) for d in found] == [(sbom.digest, "api"), (sig.digest, "api")]
            only = c.referrers(oci.repo, img.digest, artifact_type="application/spdx+json")
            assert [d.digest for d in only] == [sbom.digest]  # filtered client-side: no OCI-Filters-Applied
            assert c.supports_referrers_api(oci.repo) is True
    assert proxy.count(path="/referrers/") == 2
    assert proxy.count(path="/tags/list") == 0  # no fallback lookups
