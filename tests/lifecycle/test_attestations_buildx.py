"""Real BuildKit attestations, offline: SPDX SBOMs from the local generator image (``sbom_generator/``, pushed by
the ``sbom_generator`` fixture) and SLSA provenance, attached to a multi-platform index, shown by ``dockgen
inspect``, produced through ``dockgen build --push`` from a declaration, and kept by ``dockgen prune``.

BuildKit's default generator (``docker/buildkit-syft-scanner``) lives on Docker Hub, which the CI machines cannot
reach; ``test_default_generator_needs_docker_hub`` pins down how that fails.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import textwrap
from pathlib import Path
from typing import Any

import pytest

from dockgen.cli import main
from dockgen.registry import RegistryClient
from dockgen.registry import mediatypes as mt
from tests.lifecycle.conftest import DATA
from tests.support.infra import PLAIN_REGISTRY, require_buildx, require_registry, unique_repo

pytestmark = [pytest.mark.buildx, pytest.mark.docker, pytest.mark.registry]

PUSHED_AT = "io.dockgen.pushed-at"
SPDX = "https://spdx.dev/Document"
SLSA_V02 = "https://slsa.dev/provenance/v0.2"
SPDX_ID = re.compile(r"SPDXRef-[A-Za-z0-9.-]+")


def _build(
    context: Path, ref: str, *extra: str, platforms: str = "linux/amd64,linux/arm64"
) -> subprocess.CompletedProcess[str]:
    """``docker buildx build --push`` (buildx's own push, not dockgen's). The test registry (distribution
    2.8) has been seen to answer buildx's HEAD of the tag it just pushed with "500 ... invalid checksum digest
    format" (once in a whole suite run); buildx does not retry it, so the build is run once more on a 500:
    these tests are about the attestations, not about buildx's push."""
    cmd = ["docker", "buildx", "build", "--platform", platforms, *extra, "--push", "-t", ref, str(context)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0 and "500 Internal Server Error" in done.stderr:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
    return done


def check_spdx(doc: dict[str, Any]) -> None:
    """The SPDX 2.3 fields a consumer relies on: document header, unique well-formed ids, package and file
    minimums (SHA1 is mandatory for files), and relationships that point at elements of the document."""
    assert doc["spdxVersion"] == "SPDX-2.3"
    assert doc["dataLicense"] == "CC0-1.0"
    assert doc["SPDXID"] == "SPDXRef-DOCUMENT"
    assert doc["name"]
    assert re.fullmatch(r"https://[^#\s]+", doc["documentNamespace"]), doc["documentNamespace"]
    created = doc["creationInfo"]["created"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", created), created
    assert all(re.match(r"(Tool|Organization|Person): \S", c) for c in doc["creationInfo"]["creators"])
    ids = ["SPDXRef-DOCUMENT"]
    for pkg in doc.get("packages", []):
        assert pkg["name"] and pkg["downloadLocation"], pkg
        ids.append(pkg["SPDXID"])
    for f in doc.get("files", []):
        assert f["fileName"].startswith("./"), f
        algorithms = {c["algorithm"]: c["checksumValue"] for c in f["checksums"]}
        assert re.fullmatch(r"[0-9a-f]{40}", algorithms["SHA1"]), f
        assert re.fullmatch(r"[0-9a-f]{64}", algorithms["SHA256"]), f
        ids.append(f["SPDXID"])
    assert all(SPDX_ID.fullmatch(i) for i in ids), ids
    assert len(ids) == len(set(ids)), "SPDXIDs must be unique"
    for rel in doc.get("relationships", []):
        assert {rel["spdxElementId"], rel["relatedSpdxElement"]} <= set(ids), rel


def _statements(client: RegistryClient, repo: str, attestation: str) -> dict[str, dict[str, Any]]:
    """predicate type -> the in-toto statement, for one attestation manifest (its layers fetched as blobs)."""
    m = client.get_manifest(repo, attestation)
    out: dict[str, dict[str, Any]] = {}
    for layer in m.layers:
        assert layer.media_type == mt.IN_TOTO
        statement = json.loads(client.get_blob(repo, layer.digest))
        assert statement["predicateType"] == layer.annotations["in-toto.io/predicate-type"]
        out[statement["predicateType"]] = statement
    return out


@pytest.fixture
def context(tmp_path: Path) -> Path:
    (tmp_path / "Dockerfile").write_text("FROM busybox\nRUN echo built > /built.txt\n")
    return tmp_path


def test_generator_follows_the_protocol(sbom_generator: str, tmp_path: Path) -> None:
    """The generator run by hand the way BuildKit runs it: one statement per root filesystem (the source and each
    extra), awkward file names stay valid JSON, and it refuses to run without its destination."""
    src, extras, out = tmp_path / "sbom", tmp_path / "extras", tmp_path / "out"
    (src / "etc").mkdir(parents=True)
    (src / "etc" / "plain.txt").write_text("plain\n")
    (src / 'we"ird\\name <x> & tab\there').write_text("odd\n")
    (extras / "sbom-stage").mkdir(parents=True)
    (extras / "sbom-stage" / "stage.txt").write_text("stage\n")
    out.mkdir()
    base = ["docker", "run", "--rm", "--network=none", "-v", f"{src}:/run/src/core/sbom:ro"]
    r = subprocess.run(
        [
            *base,
            "-v",
            f"{extras}:/run/src/extras:ro",
            "-v",
            f"{out}:/run/out",
            "-e",
            "BUILDKIT_SCAN_SOURCE=/run/src/core/sbom",
            "-e",
            "BUILDKIT_SCAN_DESTINATION=/run/out",
            "-e",
            "BUILDKIT_SCAN_SOURCE_EXTRAS=/run/src/extras",
            sbom_generator,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == ["sbom-stage.spdx.json", "sbom.spdx.json"]
    core = json.loads((out / "sbom.spdx.json").read_text())
    assert core["_type"].startswith("https://in-toto.io/Statement/") and core["predicateType"] == SPDX
    check_spdx(core["predicate"])
    names = {f["fileName"] for f in core["predicate"]["files"]}
    assert names == {"./etc/plain.txt", './we"ird\\name <x> & tab\there'}
    stage = json.loads((out / "sbom-stage.spdx.json").read_text())["predicate"]
    assert [f["fileName"] for f in stage["files"]] == ["./stage.txt"]

    r = subprocess.run(
        [*base, "-e", "BUILDKIT_SCAN_SOURCE=/run/src/core/sbom", sbom_generator],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert r.returncode != 0 and "BUILDKIT_SCAN_DESTINATION" in r.stderr


def test_sbom_and_provenance_attestations_survive_prune(
    sbom_generator: str, context: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    require_buildx()
    require_registry(PLAIN_REGISTRY)
    repo = unique_repo("lifecycle-bx")
    now = dt.datetime.now(tz=dt.UTC)
    old = (now - dt.timedelta(days=200)).strftime("%Y-%m-%dT%H:%M:%SZ")
    fresh = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    attest = ("--attest", f"type=sbom,generator={sbom_generator}", "--provenance=mode=max")
    r = _build(
        context, f"{PLAIN_REGISTRY}/{repo}:1.0.0", *attest,
        "--annotation", f"index:{PUSHED_AT}={fresh}", "--annotation", f"manifest:{PUSHED_AT}={fresh}",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr[-2000:]
    assert f"generating sbom using {sbom_generator}" in r.stderr
    (context / "Dockerfile").write_text("FROM busybox\nRUN echo other > /other.txt\n")
    r = _build(
        context, f"{PLAIN_REGISTRY}/{repo}:feature-old", *attest,
        "--annotation", f"index:{PUSHED_AT}={old}", "--annotation", f"manifest:{PUSHED_AT}={old}",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr[-2000:]

    busybox_sha: dict[str, str] = {}
    with RegistryClient(PLAIN_REGISTRY) as client:
        index = client.get_manifest(repo, "1.0.0")
        assert index.is_index
        images = {c.digest: str(c.platform) for c in index.manifests if not c.is_attestation}
        assert sorted(images.values()) == ["linux/amd64", "linux/arm64"]
        attestations = [c for c in index.manifests if c.is_attestation]
        assert len(attestations) == 2  # one per platform
        for att in attestations:
            subject = att.annotations[mt.REFERENCE_DIGEST_ANNOTATION]
            platform = images[subject]
            statements = _statements(client, repo, att.digest)
            assert set(statements) == {SPDX, SLSA_V02}
            for statement in statements.values():
                assert [s["digest"]["sha256"] for s in statement["subject"]] == [
                    subject.removeprefix("sha256:")
                ]
                assert f"platform={platform.replace('/', '%2F')}" in statement["subject"][0]["name"]
            sbom = statements[SPDX]["predicate"]
            check_spdx(sbom)
            files = {f["fileName"]: f for f in sbom["files"]}
            assert {"./built.txt", "./bin/busybox"} <= set(files)
            assert "./other.txt" not in files  # the other tag's build is not in this SBOM
            busybox_sha[platform] = next(
                c["checksumValue"] for c in files["./bin/busybox"]["checksums"] if c["algorithm"] == "SHA256"
            )
            provenance = statements[SLSA_V02]["predicate"]
            assert provenance["buildType"] == "https://mobyproject.org/buildkit@v1"
            assert (
                provenance["metadata"]["https://mobyproject.org/buildkit@v1#metadata"]["layers"] is not None
            )
        other = client.get_manifest(repo, "feature-old")
        other_digests = {other.digest, *(c.digest for c in other.manifests)}
    # each platform's own root filesystem was scanned (busybox is a different binary per architecture)
    assert len(set(busybox_sha.values())) == 2, busybox_sha

    rc = main(argv=["inspect", f"{PLAIN_REGISTRY}/{repo}:1.0.0", "--json", "--no-referrers"])
    out = capsys.readouterr()
    assert rc == 0, out.err
    shown = json.loads(out.out)["attestations"]
    assert sorted(a["subject_platform"] for a in shown) == ["linux/amd64", "linux/arm64"]
    assert all(a["predicate_types"] == [SLSA_V02, SPDX] for a in shown), shown
    rc = main(argv=["inspect", f"{PLAIN_REGISTRY}/{repo}:1.0.0", "--no-referrers"])
    text = capsys.readouterr().out
    assert rc == 0
    assert text.count(f"{SLSA_V02}, {SPDX}") == 2, text

    rc = main(
        argv=["prune", f"{PLAIN_REGISTRY}/{repo}", "--yes", "--json", "--config", str(DATA / "defaults.toml")]
    )
    out = capsys.readouterr()
    assert rc == 0, out.err
    entry = json.loads(out.out)["repositories"][0]
    planned = {t["tag"]: t for t in entry["tags"]}
    assert (
        planned["feature-old"]["action"] == "delete" and planned["feature-old"]["age_source"] == "annotation"
    )
    assert planned["1.0.0"]["action"] == "keep"
    assert set(entry["deleted"]) == other_digests  # its attestation manifests went with it

    with RegistryClient(PLAIN_REGISTRY) as client:
        assert client.list_tags(repo) == ["1.0.0"]
        assert client.resolve(repo, "1.0.0") == index.digest
        for child in index.manifests:  # platforms and attestation manifests, with their statement blobs
            client.get_manifest(repo, child.digest)
            if child.is_attestation:
                assert set(_statements(client, repo, child.digest)) == {SPDX, SLSA_V02}


def test_sbom_lists_dpkg_packages(sbom_generator: str, tmp_path: Path) -> None:
    """A Debian root filesystem is described by its installed packages (name, version, purl, supplier)."""
    require_buildx()
    require_registry(PLAIN_REGISTRY)
    (tmp_path / "Dockerfile").write_text("FROM debian:bookworm\nRUN echo x > /x\n")
    repo = unique_repo("lifecycle-bx")
    r = _build(
        tmp_path, f"{PLAIN_REGISTRY}/{repo}:1", "--attest", f"type=sbom,generator={sbom_generator}",
        "--provenance=false", platforms="linux/amd64",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr[-2000:]
    dpkg_version = subprocess.run(
        [
            "docker",
            "run",
            "--rm",
            "--network=none",
            "debian:bookworm",
            "dpkg-query",
            "-W",
            "-f=${Version}",
            "dpkg",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    with RegistryClient(PLAIN_REGISTRY) as client:
        index = client.get_manifest(repo, "1")
        (att,) = [c for c in index.manifests if c.is_attestation]
        statements = _statements(client, repo, att.digest)
    assert set(statements) == {SPDX}  # buildx's default provenance is switched off
    sbom = statements[SPDX]["predicate"]
    check_spdx(sbom)
    packages = {p["name"]: p for p in sbom["packages"]}
    assert len(packages) > 50 and "files" not in sbom
    dpkg = packages["dpkg"]
    assert dpkg["versionInfo"] == dpkg_version
    purls = [ref["referenceLocator"] for ref in dpkg["externalRefs"] if ref["referenceType"] == "purl"]
    assert purls == [f"pkg:deb/debian/dpkg@{dpkg_version}?arch=amd64"]
    # dpkg's "Name <email>" becomes SPDX's "Name (email)" (and survives BuildKit's re-encoding)
    assert re.fullmatch(r"Organization: [^<>\\]+ \(\S+@\S+\)", dpkg["supplier"]), dpkg["supplier"]
    described = {
        rel["relatedSpdxElement"] for rel in sbom["relationships"] if rel["relationshipType"] == "DESCRIBES"
    }
    assert described == {p["SPDXID"] for p in sbom["packages"]}


def test_scanned_build_stage_gets_its_own_sbom(sbom_generator: str, tmp_path: Path) -> None:
    """``ARG BUILDKIT_SBOM_SCAN_STAGE=true`` in a stage hands BuildKit's extras to the generator: the attestation
    manifest carries a second SPDX statement, describing that stage's filesystem."""
    require_buildx()
    require_registry(PLAIN_REGISTRY)
    (tmp_path / "Dockerfile").write_text(
        "FROM busybox AS tools\nARG BUILDKIT_SBOM_SCAN_STAGE=true\nRUN echo t > /only-in-tools.txt\n"
        "FROM busybox\nCOPY --from=tools /only-in-tools.txt /copied.txt\n"
    )
    repo = unique_repo("lifecycle-bx")
    r = _build(
        tmp_path,
        f"{PLAIN_REGISTRY}/{repo}:1",
        "--attest",
        f"type=sbom,generator={sbom_generator}",
        "--provenance=false",
        platforms="linux/amd64",
    )
    assert r.returncode == 0, r.stderr[-2000:]
    with RegistryClient(PLAIN_REGISTRY) as client:
        index = client.get_manifest(repo, "1")
        (att,) = [c for c in index.manifests if c.is_attestation]
        m = client.get_manifest(repo, att.digest)
        docs = [json.loads(client.get_blob(repo, layer.digest))["predicate"] for layer in m.layers]
    assert [layer.annotations["in-toto.io/predicate-type"] for layer in m.layers] == [SPDX, SPDX]
    for doc in docs:
        check_spdx(doc)
    files = {doc["name"]: {f["fileName"] for f in doc["files"]} for doc in docs}
    assert set(files) == {"sbom", "sbom-tools"}
    assert "./copied.txt" in files["sbom"] and "./only-in-tools.txt" not in files["sbom"]
    assert "./only-in-tools.txt" in files["sbom-tools"] and "./copied.txt" not in files["sbom-tools"]


@pytest.mark.parametrize("how", ["declared", "flag", "config"])
def test_declared_sbom_generator_through_dockgen_build_push(
    sbom_generator: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    how: str,
) -> None:
    """The generator reaches BuildKit through ``dockgen build --push`` -- named on the Image
    (``Attestations(sbom=IMAGE)``), or ``sbom=True`` with ``--sbom-generator IMAGE`` or with ``sbom-generator``
    in the project's ``[build]`` config: every platform of the pushed index gets an SPDX SBOM of its own files,
    next to its provenance."""
    require_buildx()
    require_registry(PLAIN_REGISTRY)
    team = unique_repo("lifecycle-decl")
    sbom: object = sbom_generator if how == "declared" else True
    extra = ["--sbom-generator", sbom_generator] if how == "flag" else []
    if how == "config":
        (tmp_path / "dockgen.toml").write_text(f'[build]\nsbom-generator = "{sbom_generator}"\n')
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "hello.txt").write_text("hello\n")
    (tmp_path / "build_images.py").write_text(
        textwrap.dedent(
            f'''
            import dockgen
            from dockgen import Attestations, Copy, Image, Stage

            images = [
                Image(
                    "web",
                    registry="{PLAIN_REGISTRY}",
                    namespace="{team}",
                    context="app",
                    platforms=["linux/amd64", "linux/arm64"],
                    attestations=Attestations(provenance="max", sbom={sbom!r}),
                    stages=[Stage(base="busybox", steps=[Copy("hello.txt", "/srv/hello.txt")])],
                )
            ]

            if __name__ == "__main__":
                raise SystemExit(dockgen.main(images))
            '''
        )
    )
    monkeypatch.chdir(tmp_path)
    rc = main(argv=["build", "--push", "--version", "2.0.0", "--json", *extra])
    out = capsys.readouterr()
    assert rc == 0, out.out + out.err[-3000:]
    repo = f"{team}/web"
    with RegistryClient(PLAIN_REGISTRY) as client:
        index = client.get_manifest(repo, "2.0.0")
        images = {c.digest: str(c.platform) for c in index.manifests if not c.is_attestation}
        assert sorted(images.values()) == ["linux/amd64", "linux/arm64"]
        attestations = [c for c in index.manifests if c.is_attestation]
        assert sorted(images[a.annotations[mt.REFERENCE_DIGEST_ANNOTATION]] for a in attestations) == sorted(
            images.values()
        )
        for att in attestations:
            statements = _statements(client, repo, att.digest)
            assert set(statements) == {SPDX, SLSA_V02}
            check_spdx(statements[SPDX]["predicate"])
            files = {f["fileName"] for f in statements[SPDX]["predicate"]["files"]}
            assert "./srv/hello.txt" in files
            creators = statements[SPDX]["predicate"]["creationInfo"]["creators"]
            assert creators[0] == "Tool: dockgen-sbom-1"  # BuildKit appends itself ("Tool: buildkit-v...")
            assert any(c.startswith("Tool: buildkit-") for c in creators[1:]), creators


def test_default_generator_needs_docker_hub(context: Path) -> None:
    """``--sbom=true`` without a generator uses docker/buildkit-syft-scanner from Docker Hub: where Docker Hub is
    unreachable (the CI machines) the build fails naming that image, which is the cue to name a reachable one."""
    require_buildx()
    require_registry(PLAIN_REGISTRY)
    ref = f"{PLAIN_REGISTRY}/{unique_repo('lifecycle-bx')}:1.0.0"
    r = _build(context, ref, "--sbom=true", platforms="linux/amd64")
    if r.returncode != 0:
        assert "buildkit-syft-scanner" in r.stderr, r.stderr[-2000:]
        return
    with RegistryClient(PLAIN_REGISTRY) as client:  # Docker Hub (or a mirror of the scanner) was reachable
        repo, _, tag = ref.removeprefix(PLAIN_REGISTRY + "/").partition(":")
        index = client.get_manifest(repo, tag)
        (att,) = [c for c in index.manifests if c.is_attestation]
        assert SPDX in _statements(client, repo, att.digest)
