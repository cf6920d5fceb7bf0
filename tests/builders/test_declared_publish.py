"""``dockgen build --push`` driven by a real build_images.py: every publish option declared on the Image."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest

from dockgen.cli import main
from dockgen.registry import RegistryClient
from tests.support.infra import AUTH_REGISTRY, PLAIN_REGISTRY, require_buildx, require_registry, unique_repo

pytestmark = [pytest.mark.docker, pytest.mark.buildx, pytest.mark.registry]

SECRET = "declared-secret-value-4711"


def test_declared_registries_secret_and_provenance(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    require_buildx()
    require_registry(PLAIN_REGISTRY)
    require_registry(AUTH_REGISTRY)
    team = unique_repo("declared")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "hello.txt").write_text("hello\n")
    (tmp_path / "build_images.py").write_text(
        textwrap.dedent(
            f'''
            import dockgen
            from dockgen import Attestations, BuildSecret, Cmd, Copy, Image, Run, SecretMount, Stage

            images = [
                Image(
                    "web",
                    registries=["{PLAIN_REGISTRY}", "{AUTH_REGISTRY}"],
                    namespace="{team}",
                    context="app",
                    description="declared publish test",
                    secrets=[BuildSecret("tok", env="DG_TEST_SECRET")],
                    attestations=Attestations(provenance="max"),
                    stages=[
                        Stage(
                            base="busybox",
                            steps=[
                                Copy("hello.txt", "/srv/hello.txt"),
                                Run("test -s /run/secrets/tok && wc -c < /run/secrets/tok > /srv/secret-size",
                                    mounts=[SecretMount("tok")]),
                                Cmd(["cat", "/srv/hello.txt"]),
                            ],
                            user="10001",
                        )
                    ],
                )
            ]

            if __name__ == "__main__":
                raise SystemExit(dockgen.main(images))
            '''
        )
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DG_TEST_SECRET", SECRET)
    assert main(argv=["render"]) == 0
    rc = main(argv=["build", "--push", "--version", "1.2.0", "--json"])
    out = capsys.readouterr()
    assert rc == 0, out.out + out.err
    assert SECRET not in out.out + out.err
    assert SECRET not in (tmp_path / "app" / "Dockerfile").read_text()

    digests = set()
    for registry in (PLAIN_REGISTRY, AUTH_REGISTRY):
        client = RegistryClient.for_reference(f"{registry}/{team}/web:1.2.0")
        tags = client.list_tags(f"{team}/web")
        assert {"1.2.0", "1.2", "1", "latest"} <= set(tags)
        index = client.get_manifest(f"{team}/web", "1.2.0")
        digests.add(index.digest)
        assert index.is_index
        assert "io.dockgen.pushed-at" in index.annotations, index.annotations
        kinds = [d for d in index.manifests if d.is_attestation]
        assert kinds, "provenance attestation manifest expected in the index"
        image_desc = next(d for d in index.manifests if not d.is_attestation)
        image = client.get_manifest(f"{team}/web", image_desc.digest)
        config_desc = image.config
        assert config_desc is not None
        config = json.loads(client.get_blob(f"{team}/web", config_desc.digest))
        labels = config["config"]["Labels"]
        assert labels["org.opencontainers.image.description"] == "declared publish test"
        assert labels["org.opencontainers.image.version"] == "1.2.0"
        # the secret reached the build (its size was recorded) but no layer holds it
        for layer in image.layers:
            assert SECRET.encode() not in client.get_blob(
                f"{team}/web", layer.digest, max_bytes=64 * 1024 * 1024
            )
    assert len(digests) == 1, "the same digest in every registry"
    assert os.environ["DG_TEST_SECRET"] == SECRET
