"""cosign signing/verification through a fake ``cosign`` on PATH (cosign cannot be installed here).

The image references are real: images pushed to the local registry, so tag -> digest resolution goes through
the real registry client. What is checked is dockgen's side: always a digest on cosign's command line, never a
tag; COSIGN_PASSWORD only in cosign's environment, never in any argv or output; KMS URIs passed through; cosign's
JSON read and checked against the digest.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dockgen.cli import main
from dockgen.errors import ToolMissingError
from dockgen.lifecycle.sign import SignError, sign_image, verify_image
from dockgen.registry import RegistryClient
from tests.lifecycle.fakes import calls, install
from tests.lifecycle.images import push_image
from tests.support.infra import PLAIN_REGISTRY

pytestmark = [pytest.mark.registry]

PASSWORD = "s3cret-Pa55-for-the-key"  # a test value that must never show up anywhere


@pytest.fixture
def fake_cosign(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    bin_dir = tmp_path / "bin"
    install(bin_dir, "cosign")
    log = tmp_path / "cosign.log"
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    monkeypatch.setenv("FAKE_LOG", str(log))
    monkeypatch.setenv("COSIGN_PASSWORD", PASSWORD)
    return log


@pytest.fixture
def key(tmp_path: Path) -> Path:
    path = tmp_path / "cosign.key"
    path.write_text(
        "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nnot a real key\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n"
    )
    return path


@pytest.fixture
def image(client: RegistryClient, repo: str) -> tuple[str, str]:
    pushed = push_image(client, repo, tag="1.0.0")
    return f"{PLAIN_REGISTRY}/{repo}", pushed.digest


def _assert_no_secret(*texts: object) -> None:
    for t in texts:
        text = t if isinstance(t, str) else json.dumps(t)
        assert PASSWORD not in text


def test_sign_resolves_tag_to_digest(
    fake_cosign: Path, key: Path, image: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    name, digest = image
    rc = main(argv=["sign", f"{name}:1.0.0", "--key", str(key), "-a", "team=platform", "--no-tlog-upload"])
    out = capsys.readouterr()
    assert rc == 0, out.err
    assert out.out.strip() == f"signed {name}@{digest}"
    (call,) = calls(fake_cosign)
    argv = call["argv"]
    assert isinstance(argv, list)
    assert argv[:4] == ["sign", "--yes", "--key", str(key)]
    assert argv[-1] == f"{name}@{digest}"
    assert "--tlog-upload=false" in argv and argv[argv.index("-a") : argv.index("-a") + 2] == [
        "-a",
        "team=platform",
    ]
    assert not any(a.endswith(":1.0.0") for a in argv), "a tag reached cosign"
    assert call["password_in_env"] is True
    _assert_no_secret(call, out.out, out.err)


def test_sign_by_digest_reference_is_checked(fake_cosign: Path, key: Path, image: tuple[str, str]) -> None:
    name, digest = image
    assert sign_image(f"{name}@{digest}", str(key)).reference == f"{name}@{digest}"
    wrong = "sha256:" + "f" * 64
    with pytest.raises(Exception, match="not found"):
        sign_image(f"{name}@{wrong}", str(key))
    assert len(calls(fake_cosign)) == 1  # cosign never ran for the unknown digest


@pytest.mark.parametrize(
    "kms", ["awskms://arn:aws:kms:eu-west-1:123:key/abc", "gcpkms://projects/p/locations/l/keyRings/r/cryptoKeys/k",
            "hashivault://transit-key", "azurekms://vault.vault.azure.net/key"],
)  # fmt: skip
def test_kms_uris_pass_through(fake_cosign: Path, image: tuple[str, str], kms: str) -> None:
    name, digest = image
    sign_image(f"{name}:1.0.0", kms)
    (call,) = calls(fake_cosign)
    argv = call["argv"]
    assert isinstance(argv, list) and argv[argv.index("--key") + 1] == kms and argv[-1] == f"{name}@{digest}"


def test_cosign_failure_is_scrubbed(
    fake_cosign: Path,
    key: Path,
    image: tuple[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("FAKE_EXIT", "1")
    name, _ = image
    assert main(argv=["sign", f"{name}:1.0.0", "--key", str(key)]) == 1
    err = capsys.readouterr().err
    assert "cosign could not sign" in err and "decrypt key with password ***" in err
    _assert_no_secret(err)


def test_verify_parses_payloads(
    fake_cosign: Path, image: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name, digest = image
    pub = tmp_path / "cosign.pub"
    pub.write_text("-----BEGIN PUBLIC KEY-----\nnot a real key\n-----END PUBLIC KEY-----\n")
    rc = main(argv=["verify", f"{name}:1.0.0", "--key", str(pub), "--insecure-ignore-tlog", "--json"])
    out = capsys.readouterr()
    assert rc == 0, out.err
    (entry,) = json.loads(out.out)
    assert entry["verified"] and entry["digest"] == digest
    assert entry["signatures"][0]["optional"] == {"team": "platform"}
    (call,) = calls(fake_cosign)
    argv = call["argv"]
    assert isinstance(argv, list)
    assert argv[:5] == ["verify", "--key", str(pub), "--output", "json"] and argv[-1] == f"{name}@{digest}"
    assert "--insecure-ignore-tlog=true" in argv
    _assert_no_secret(call, out.out, out.err)


def test_verify_rejects_a_signature_for_another_digest(
    fake_cosign: Path, image: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_VERIFY_DIGEST", "sha256:" + "e" * 64)
    name, _ = image
    pub = tmp_path / "cosign.pub"
    pub.write_text("x")
    with pytest.raises(SignError, match="not sha256:"):
        verify_image(f"{name}:1.0.0", str(pub))


def test_verify_failure_exit_code(
    fake_cosign: Path,
    image: tuple[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("FAKE_EXIT", "10")
    pub = tmp_path / "cosign.pub"
    pub.write_text("x")
    assert main(argv=["verify", f"{image[0]}:1.0.0", "--key", str(pub)]) == 1
    assert "signature verification failed" in capsys.readouterr().err


def test_missing_key_file_and_missing_cosign(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, image: tuple[str, str]
) -> None:
    with pytest.raises(Exception, match="neither a file nor a KMS URI"):
        sign_image(f"{image[0]}:1.0.0", str(tmp_path / "nope.key"))
    monkeypatch.setenv("PATH", str(tmp_path))
    (tmp_path / "k").write_text("x")
    with pytest.raises(ToolMissingError, match="cosign is not installed"):
        sign_image(f"{image[0]}:1.0.0", str(tmp_path / "k"))
