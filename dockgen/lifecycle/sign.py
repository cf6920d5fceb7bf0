"""Sign and verify images with cosign, always by digest.

::

    from dockgen.lifecycle.sign import sign_image, verify_image

    signed = sign_image("registry.example.com/team/app:1.2.3", key="cosign.key")   # COSIGN_PASSWORD from env
    print(signed.reference)            # registry.example.com/team/app@sha256:...
    verify_image("registry.example.com/team/app:1.2.3", key="cosign.pub")

A tag is resolved to its digest with dockgen's registry client first, so the signature covers exactly the content
that was pushed (a tag can move between resolving and signing; a digest cannot). The key is a key file or a KMS
URI (``awskms://``, ``gcpkms://``, ``hashivault://``, ``azurekms://``, ``k8s://``, ``pkcs11:``) passed to cosign
as is. ``COSIGN_PASSWORD`` is passed to cosign through the environment only: never on the command line, never
printed; cosign's own output is scrubbed of it before dockgen shows any of it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dockgen.errors import DockgenError, ToolMissingError, UsageError
from dockgen.registry import RegistryClient, parse_reference

__all__ = [
    "SignError",
    "SignResult",
    "VerifyResult",
    "resolve_digest_reference",
    "sign_image",
    "verify_image",
]

KMS_SCHEMES = ("awskms://", "gcpkms://", "hashivault://", "azurekms://", "k8s://", "pkcs11:")
COSIGN_INSTALL_HINT = (
    "install cosign (https://docs.sigstore.dev/cosign/system_config/installation/): e.g. `brew install cosign`, "
    "`go install github.com/sigstore/cosign/v2/cmd/cosign@latest`, or a release binary from "
    "https://github.com/sigstore/cosign/releases"
)
PASSWORD_ENV = "COSIGN_PASSWORD"


class SignError(DockgenError):
    """cosign failed to sign or verify."""


@dataclass(frozen=True)
class SignResult:
    reference: str
    """``registry/repo@sha256:...``: what was signed."""
    digest: str


@dataclass(frozen=True)
class VerifyResult:
    reference: str
    digest: str
    signatures: list[dict[str, Any]]
    """cosign's verified payloads (``critical.image.docker-manifest-digest``, ``optional`` annotations...)."""


def resolve_digest_reference(reference: str, *, insecure: bool | None = None) -> tuple[str, str]:
    """``repo:tag`` -> (``repo@sha256:...``, digest), through the registry (a digest reference is checked too)."""
    ref = parse_reference(reference)
    with RegistryClient.for_reference(ref, insecure=insecure) as client:
        digest = client.resolve(ref.repository, ref.reference)
    if ref.digest and ref.digest != digest:
        raise SignError(f"{reference}: the registry has digest {digest}, not {ref.digest}")
    return f"{ref.name}@{digest}", digest


def _check_key(key: str) -> None:
    if key.startswith(KMS_SCHEMES):
        return
    if not Path(key).is_file():
        raise UsageError(
            f"cosign key {key!r} is neither a file nor a KMS URI",
            hint="pass a key file (cosign generate-key-pair) or awskms:// gcpkms:// hashivault:// azurekms:// URI",
        )


def _cosign(env: Mapping[str, str]) -> str:
    found = shutil.which("cosign", path=env.get("PATH"))
    if found is None:
        raise ToolMissingError(
            "cosign is not installed (needed to sign and verify images)", hint=COSIGN_INSTALL_HINT
        )
    return found


def _scrub(text: str, env: Mapping[str, str]) -> str:
    secret = env.get(PASSWORD_ENV)
    return text.replace(secret, "***") if secret else text


def _run(argv: Sequence[str], env: Mapping[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            list(argv), capture_output=True, text=True, env=dict(env), timeout=timeout, stdin=subprocess.DEVNULL,
            check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        raise SignError(f"cosign did not finish in {timeout:.0f}s") from None


def _tail(text: str, env: Mapping[str, str], n: int = 6) -> str:
    lines = _scrub(text, env).strip().splitlines()[-n:]
    return ("\n  " + "\n  ".join(lines)) if lines else ""


def sign_image(
    reference: str,
    key: str,
    *,
    annotations: Mapping[str, str] | None = None,
    tlog_upload: bool = True,
    insecure: bool | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 300.0,
) -> SignResult:
    """``cosign sign --yes --key KEY REF@sha256:...``. ``tlog_upload=False`` keeps the signature out of the
    public Rekor log (private images); ``insecure`` lets cosign talk plain HTTP to the registry."""
    _check_key(key)
    environ = dict(os.environ if env is None else env)
    cosign = _cosign(environ)
    by_digest, digest = resolve_digest_reference(reference, insecure=insecure)
    argv = [cosign, "sign", "--yes", "--key", key]
    if not tlog_upload:
        argv.append("--tlog-upload=false")
    if insecure or _loopback(by_digest):
        argv += ["--allow-insecure-registry", "--allow-http-registry"]
    for k, v in (annotations or {}).items():
        argv += ["-a", f"{k}={v}"]
    argv.append(by_digest)
    proc = _run(argv, environ, timeout)
    if proc.returncode != 0:
        hint = (
            f"set {PASSWORD_ENV} for an encrypted key file"
            if PASSWORD_ENV not in environ and not key.startswith(KMS_SCHEMES)
            else "check the key, the registry credentials and cosign's message above"
        )
        raise SignError(
            f"cosign could not sign {by_digest} (exit {proc.returncode}){_tail(proc.stderr, environ)}",
            hint=hint,
        )
    return SignResult(by_digest, digest)


def verify_image(
    reference: str,
    key: str,
    *,
    insecure: bool | None = None,
    ignore_tlog: bool = False,
    env: Mapping[str, str] | None = None,
    timeout: float = 300.0,
) -> VerifyResult:
    """``cosign verify --key KEY --output json REF@sha256:...``; every verified payload must name the digest."""
    _check_key(key)
    environ = dict(os.environ if env is None else env)
    cosign = _cosign(environ)
    by_digest, digest = resolve_digest_reference(reference, insecure=insecure)
    argv = [cosign, "verify", "--key", key, "--output", "json"]
    if ignore_tlog:
        argv.append("--insecure-ignore-tlog=true")
    if insecure or _loopback(by_digest):
        argv.append("--allow-insecure-registry")
    argv.append(by_digest)
    proc = _run(argv, environ, timeout)
    if proc.returncode != 0:
        raise SignError(
            f"signature verification failed for {by_digest} (exit {proc.returncode}){_tail(proc.stderr, environ)}",
            hint="was it signed with the matching private key? (`dockgen sign REF --key cosign.key`)",
        )
    payloads = _parse_verify_output(proc.stdout, by_digest)
    for p in payloads:
        signed = p.get("critical", {}).get("image", {}).get("docker-manifest-digest")
        if signed != digest:
            raise SignError(f"cosign verified a signature for {signed!r}, not {digest}")
    return VerifyResult(by_digest, digest, payloads)


def _parse_verify_output(text: str, where: str) -> list[dict[str, Any]]:
    """cosign prints a JSON array of payloads (older versions: one JSON object per line)."""
    body = text.strip()
    try:
        data = json.loads(body)
        items = data if isinstance(data, list) else [data]
    except ValueError:
        try:
            items = [json.loads(line) for line in body.splitlines() if line.strip()]
        except ValueError:
            raise SignError(f"cosign verify {where}: output is not JSON") from None
    payloads = [i for i in items if isinstance(i, dict)]
    if not payloads:
        raise SignError(f"cosign verify {where}: no signature payload in its output")
    return payloads


def _loopback(reference: str) -> bool:
    from dockgen.registry import is_loopback

    return is_loopback(parse_reference(reference).registry)
