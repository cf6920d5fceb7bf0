"""Private, fresh registry processes for the registry client tests.

Each test session starts its own ``docker-registry serve`` processes on free loopback ports, with storage in a
temporary directory, so these tests never depend on (or disturb) the shared registries of scripts/infra.sh:

* ``plain_registry``: plain HTTP, deletes enabled;
* ``nodelete_registry``: plain HTTP, deletes disabled (the 405/UNSUPPORTED path);
* ``tls_registry``: HTTPS with a certificate from a throwaway CA made with openssl, htpasswd basic auth,
  deletes enabled.

Without the binary the tests are skipped, or fail when ``DOCKGEN_REQUIRE_INFRA`` is set (as in CI).
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REQUIRE_ENV = "DOCKGEN_REQUIRE_INFRA"
USER = "ci-pusher"


def _missing(what: str) -> None:
    msg = f"{what} is not installed (scripts/infra.sh installs it: apt-get install docker-registry apache2-utils)"
    if os.environ.get(REQUIRE_ENV):
        pytest.fail(f"{msg}; {REQUIRE_ENV} is set, so this fails instead of skipping", pytrace=False)
    pytest.skip(msg)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class RegistryProcess:
    addr: str
    url: str
    root: Path
    proc: subprocess.Popen[bytes]
    ca_cert: Path | None = None
    user: str | None = None
    password: str | None = None

    def repo(self, prefix: str = "t") -> str:
        """A fresh repository name."""
        return f"{prefix}/{uuid.uuid4().hex[:10]}"

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


def _start(
    root: Path,
    *,
    delete: bool,
    tls: tuple[Path, Path] | None = None,
    htpasswd: Path | None = None,
    ca: Path | None = None,
    token: tuple[str, str, str, Path] | None = None,
) -> RegistryProcess:
    binary = shutil.which("docker-registry")
    if binary is None:
        _missing("docker-registry")
    assert binary is not None
    port = _free_port()
    root.mkdir(parents=True, exist_ok=True)
    lines = [
        "version: 0.1",
        "log:",
        "  level: error",
        "  accesslog:",
        "    disabled: true",
        "storage:",
        "  filesystem:",
        f"    rootdirectory: {root / 'data'}",
        "  delete:",
        f"    enabled: {'true' if delete else 'false'}",
        "http:",
        f"  addr: 127.0.0.1:{port}",
        f"  secret: {secrets.token_hex(16)}",
    ]
    if tls is not None:
        lines += ["  tls:", f"    certificate: {tls[0]}", f"    key: {tls[1]}"]
    if htpasswd is not None:
        lines += ["auth:", "  htpasswd:", "    realm: dockgen-test", f"    path: {htpasswd}"]
    if token is not None:
        realm, service, issuer, cert = token
        lines += [
            "auth:",
            "  token:",
            f"    realm: {realm}",
            f"    service: {service}",
            f"    issuer: {issuer}",
            f"    rootcertbundle: {cert}",
        ]
    config = root / "config.yml"
    config.write_text("\n".join(lines) + "\n")
    log = open(root / "registry.log", "wb")  # noqa: SIM115 - the process owns it
    proc = subprocess.Popen([binary, "serve", str(config)], stdout=log, stderr=subprocess.STDOUT)
    scheme = "https" if tls else "http"
    reg = RegistryProcess(f"127.0.0.1:{port}", f"{scheme}://127.0.0.1:{port}", root, proc, ca_cert=ca)
    ctx = ssl.create_default_context(cafile=str(ca)) if ca else None
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(reg.url + "/v2/", timeout=2, context=ctx).close()
            break
        except urllib.error.HTTPError:
            break  # 401: up, wants auth
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                reg.stop()
                raise RuntimeError(
                    f"docker-registry did not start: {(root / 'registry.log').read_text()[-2000:]}"
                ) from None
            time.sleep(0.05)
    return reg


def _make_ca_and_cert(d: Path) -> tuple[Path, Path, Path]:
    if shutil.which("openssl") is None:
        _missing("openssl")
    d.mkdir(parents=True, exist_ok=True)
    ca_key, ca_crt = d / "ca.key", d / "ca.crt"
    key, csr, crt, ext = d / "server.key", d / "server.csr", d / "server.crt", d / "ext.cnf"

    def run(*argv: str) -> None:
        subprocess.run(["openssl", *argv], check=True, capture_output=True, timeout=60)

    run(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        str(ca_key),
        "-out",
        str(ca_crt),
        "-days",
        "2",
        "-subj",
        "/CN=dockgen test CA",
    )
    run(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        str(key),
        "-out",
        str(csr),
        "-subj",
        "/CN=127.0.0.1",
    )
    ext.write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n")
    run(
        "x509",
        "-req",
        "-in",
        str(csr),
        "-CA",
        str(ca_crt),
        "-CAkey",
        str(ca_key),
        "-CAcreateserial",
        "-out",
        str(crt),
        "-days",
        "2",
        "-extfile",
        str(ext),
    )
    return ca_crt, crt, key


@pytest.fixture(scope="session")
def plain_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RegistryProcess]:
    reg = _start(tmp_path_factory.mktemp("registry-plain"), delete=True)
    yield reg
    reg.stop()


@pytest.fixture(scope="session")
def nodelete_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RegistryProcess]:
    reg = _start(tmp_path_factory.mktemp("registry-nodelete"), delete=False)
    yield reg
    reg.stop()


@pytest.fixture(scope="session")
def tls_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RegistryProcess]:
    if shutil.which("htpasswd") is None:
        _missing("htpasswd (apache2-utils)")
    root = tmp_path_factory.mktemp("registry-tls")
    ca, crt, key = _make_ca_and_cert(root / "tls")
    password = "pw-" + secrets.token_hex(12)  # distinctive, so tests can grep all output for it
    htpasswd = root / "htpasswd"
    subprocess.run(
        ["htpasswd", "-Bbc", str(htpasswd), USER, password], check=True, capture_output=True, timeout=60
    )
    reg = _start(root / "srv", delete=True, tls=(crt, key), htpasswd=htpasswd, ca=ca)
    reg.user, reg.password = USER, password
    yield reg
    reg.stop()


@pytest.fixture
def docker_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty, private DOCKER_CONFIG directory (and no credential-related environment leaking in)."""
    d = tmp_path / "docker-config"
    d.mkdir()
    monkeypatch.setenv("DOCKER_CONFIG", str(d))
    monkeypatch.setenv("HOME", str(tmp_path))
    for var in (
        "DOCKER_CONFIG_JSON",
        "DOCKGEN_REGISTRY_USER",
        "DOCKGEN_REGISTRY_PASSWORD",
        "DOCKGEN_REGISTRY_HOST",
        "DOCKGEN_CA_BUNDLE",
        "DOCKGEN_INSECURE_REGISTRIES",
    ):
        monkeypatch.delenv(var, raising=False)
    return d


# --------------------------------------------------------------------------- building test images by hand

from dockgen.registry import Descriptor, RegistryClient, sha256_digest  # noqa: E402
from dockgen.registry import mediatypes as mt  # noqa: E402


@dataclass
class Pushed:
    """A manifest pushed by :class:`OCIBuilder`."""

    digest: str
    media_type: str
    raw: bytes
    size: int

    def descriptor(self, **extra: object) -> dict[str, object]:
        return {"mediaType": self.media_type, "digest": self.digest, "size": self.size, **extra}


class OCIBuilder:
    """Push small, hand-made images (Docker schema 2 or OCI), indexes, attestations and referrers."""

    def __init__(self, client: RegistryClient, repo: str) -> None:
        self.client = client
        self.repo = repo

    def _put(self, ref: str, doc: dict[str, object], media_type: str) -> Pushed:
        import json

        raw = json.dumps(doc, separators=(",", ":"), sort_keys=True).encode()
        digest = self.client.put_manifest(self.repo, ref, raw, media_type)
        assert digest == sha256_digest(raw)
        return Pushed(digest, media_type, raw, len(raw))

    def image(
        self,
        tag: str | None = None,
        *,
        docker: bool = False,
        arch: str = "amd64",
        labels: dict[str, str] | None = None,
        created: str = "2024-05-01T12:00:00Z",
        layers: list[bytes] | None = None,
    ) -> Pushed:
        import json

        layer_data = layers if layers is not None else [f"layer for {arch} {uuid.uuid4().hex}".encode()]
        cfg = {
            "architecture": arch,
            "os": "linux",
            "created": created,
            "config": {"Labels": labels or {}},
            "rootfs": {"type": "layers", "diff_ids": [sha256_digest(b) for b in layer_data]},
        }
        cfg_raw = json.dumps(cfg).encode()
        cfg_type = mt.DOCKER_CONFIG if docker else mt.OCI_CONFIG
        layer_type = mt.DOCKER_LAYER_GZIP if docker else mt.OCI_LAYER
        cfg_desc = self.client.upload_blob(self.repo, cfg_raw, media_type=cfg_type)
        layer_descs: list[Descriptor] = [
            self.client.upload_blob(self.repo, b, media_type=layer_type) for b in layer_data
        ]
        media_type = mt.DOCKER_MANIFEST if docker else mt.OCI_MANIFEST
        doc = {
            "schemaVersion": 2,
            "mediaType": media_type,
            "config": cfg_desc.to_json(),
            "layers": [d.to_json() for d in layer_descs],
        }
        return self._put(
            tag or sha256_digest(json.dumps(doc, separators=(",", ":"), sort_keys=True).encode()),
            doc,
            media_type,
        )

    def attestation(self, subject: Pushed) -> Pushed:
        """A BuildKit-style attestation manifest (in-toto layer) for ``subject``; pushed by digest."""
        import json

        statement = json.dumps(
            {
                "_type": "https://in-toto.io/Statement/v0.1",
                "subject": [{"digest": {"sha256": subject.digest.split(":", 1)[1]}}],
                "predicateType": "https://spdx.dev/Document",
            }
        )
        layer = self.client.upload_blob(self.repo, statement.encode(), media_type=mt.IN_TOTO)
        cfg_raw = (
            b'{"architecture":"unknown","os":"unknown","config":{},"rootfs":{"type":"layers","diff_ids":[]}}'
        )
        cfg = self.client.upload_blob(self.repo, cfg_raw, media_type=mt.OCI_CONFIG)
        layer_json = layer.to_json()
        layer_json["annotations"] = {"in-toto.io/predicate-type": "https://spdx.dev/Document"}
        doc = {
            "schemaVersion": 2,
            "mediaType": mt.OCI_MANIFEST,
            "config": cfg.to_json(),
            "layers": [layer_json],
        }
        raw = json.dumps(doc, separators=(",", ":"), sort_keys=True).encode()
        return self._put(sha256_digest(raw), doc, mt.OCI_MANIFEST)

    def index(
        self,
        tag: str,
        children: list[tuple[Pushed, str]],
        *,
        docker: bool = False,
        attestations: list[tuple[Pushed, Pushed]] | None = None,
    ) -> Pushed:
        """An index / manifest list of ``(child, "os/arch")`` plus ``(attestation, subject)`` entries."""
        media_type = mt.DOCKER_MANIFEST_LIST if docker else mt.OCI_INDEX
        entries: list[dict[str, object]] = []
        for child, plat in children:
            os_, arch = plat.split("/", 1)
            entries.append(child.descriptor(platform={"os": os_, "architecture": arch}))
        for att, subject in attestations or []:
            entries.append(
                att.descriptor(
                    platform={"os": "unknown", "architecture": "unknown"},
                    annotations={
                        mt.REFERENCE_TYPE_ANNOTATION: mt.ATTESTATION_MANIFEST,
                        mt.REFERENCE_DIGEST_ANNOTATION: subject.digest,
                    },
                )
            )
        return self._put(tag, {"schemaVersion": 2, "mediaType": media_type, "manifests": entries}, media_type)

    def artifact(self, subject: Pushed, artifact_type: str = "application/vnd.example.sbom+json") -> Pushed:
        """An OCI artifact manifest with ``subject`` (a referrer), pushed by digest."""
        import json

        empty = self.client.upload_blob(self.repo, b"{}", media_type=mt.OCI_EMPTY)
        blob = self.client.upload_blob(
            self.repo, f"sbom {uuid.uuid4().hex}".encode(), media_type="application/json"
        )
        doc = {
            "schemaVersion": 2,
            "mediaType": mt.OCI_MANIFEST,
            "artifactType": artifact_type,
            "config": empty.to_json(),
            "layers": [blob.to_json()],
            "subject": subject.descriptor(),
        }
        raw = json.dumps(doc, separators=(",", ":"), sort_keys=True).encode()
        return self._put(sha256_digest(raw), doc, mt.OCI_MANIFEST)

    def referrers_tag(self, subject: Pushed, referrers: list[tuple[Pushed, str]]) -> Pushed:
        """The OCI tag-schema fallback: an index tagged ``sha256-<hex>`` listing the referrers."""
        entries = [r.descriptor(artifactType=at) for r, at in referrers]
        tag = subject.digest.replace(":", "-")
        return self._put(
            tag, {"schemaVersion": 2, "mediaType": mt.OCI_INDEX, "manifests": entries}, mt.OCI_INDEX
        )

    def cosign(self, subject: Pushed, suffix: str) -> Pushed:
        """A cosign-style artifact stored under the tag ``sha256-<hex><suffix>``."""
        return self.image(subject.digest.replace(":", "-") + suffix, labels={"cosign": suffix})


@pytest.fixture
def plain_client(plain_registry: RegistryProcess, docker_config: Path) -> Iterator[RegistryClient]:
    from dockgen.registry import RetryPolicy

    with RegistryClient(plain_registry.addr, retry=RetryPolicy(attempts=2, base=0.01)) as c:
        yield c


@pytest.fixture
def oci(plain_client: RegistryClient, plain_registry: RegistryProcess) -> OCIBuilder:
    return OCIBuilder(plain_client, plain_registry.repo())


@pytest.fixture
def oci_builder() -> type[OCIBuilder]:
    """The builder class, for tests that need it on another client or registry."""
    return OCIBuilder


HELPER_SOURCE = """#!{python}
# A docker credential helper (the real protocol: action in argv, input on stdin, JSON out) that keeps its
# store in the JSON file named by $DGTEST_STORE and appends each call to $DGTEST_STORE.log.
import json, os, sys
store = os.environ["DGTEST_STORE"]
action = sys.argv[1]
data = json.load(open(store)) if os.path.exists(store) else {{}}
raw = sys.stdin.read()
key = json.loads(raw)["ServerURL"] if action == "store" else raw.strip()
with open(store + ".log", "a") as log:
    log.write(action + " " + key + "\\n")
if action == "get":
    entry = data.get(key)
    if not entry:
        print("credentials not found in native keychain")
        sys.exit(1)
    print(json.dumps({{"ServerURL": key, "Username": entry[0], "Secret": entry[1]}}))
elif action == "store":
    d = json.loads(raw)
    data[key] = [d["Username"], d["Secret"]]
    json.dump(data, open(store, "w"))
elif action == "erase":
    data.pop(key, None)
    json.dump(data, open(store, "w"))
elif action == "list":
    print(json.dumps({{k: v[0] for k, v in data.items()}}))
else:
    print("unknown action " + action)
    sys.exit(1)
"""


@dataclass
class CredHelper:
    name: str
    store: Path

    def stored(self) -> dict[str, list[str]]:
        import json

        return json.loads(self.store.read_text()) if self.store.exists() else {}

    def calls(self) -> list[str]:
        log = Path(str(self.store) + ".log")
        return log.read_text().splitlines() if log.exists() else []


@pytest.fixture
def cred_helper(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CredHelper:
    """A real ``docker-credential-dgtest`` executable on PATH, backed by a JSON file."""
    import sys

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    exe = bin_dir / "docker-credential-dgtest"
    exe.write_text(HELPER_SOURCE.format(python=sys.executable))
    exe.chmod(0o755)
    store = tmp_path / "helper-store.json"
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("DGTEST_STORE", str(store))
    return CredHelper("dgtest", store)


# --------------------------------------------------------------------------- a Bearer token service


@dataclass
class TokenService:
    """A small token service implementing the distribution token spec, signing JWTs (RS256) with openssl.

    Grants: anonymous -> pull on ``public/*``; ``user``/``password`` (or the refresh token) -> what is asked,
    except only pull on ``locked/*``. ``requests`` records (method, had-credentials, scopes) per token request.
    """

    url: str
    user: str
    password: str
    refresh_token: str
    requests: list[tuple[str, str, tuple[str, ...]]]


def _b64url(data: bytes) -> str:
    import base64

    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _start_token_service(root: Path, service: str, issuer: str) -> tuple[TokenService, Path, object]:
    import base64
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from urllib.parse import parse_qs, urlsplit

    if shutil.which("openssl") is None:
        _missing("openssl")
    key, cert = root / "token.key", root / "token.crt"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "2",
            "-subj",
            "/CN=dockgen token issuer",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    der = subprocess.run(
        ["openssl", "x509", "-in", str(cert), "-outform", "DER"], check=True, capture_output=True, timeout=60
    ).stdout
    state = TokenService("", "alice", "tok-pw-" + secrets.token_hex(8), "refresh-" + secrets.token_hex(8), [])
    lock = threading.Lock()

    def sign(claims: dict[str, object]) -> str:
        header = {"typ": "JWT", "alg": "RS256", "x5c": [base64.b64encode(der).decode()]}
        signing_input = f"{_b64url(json.dumps(header).encode())}.{_b64url(json.dumps(claims).encode())}"
        sig = subprocess.run(
            ["openssl", "dgst", "-sha256", "-sign", str(key)],
            input=signing_input.encode(),
            check=True,
            capture_output=True,
            timeout=60,
        ).stdout
        return f"{signing_input}.{_b64url(sig)}"

    def grant(scopes: list[str], account: str | None) -> list[dict[str, object]]:
        access: list[dict[str, object]] = []
        for scope in scopes:
            parts = scope.split(":")
            if len(parts) != 3 or parts[0] != "repository":
                continue
            name, actions = parts[1], parts[2].split(",")
            if account is None:
                allowed = ["pull"] if name.startswith("public/") and "pull" in actions else []
            elif name.startswith("locked/"):
                allowed = [a for a in actions if a == "pull"]
            else:
                allowed = actions
            if allowed:
                access.append({"type": "repository", "name": name, "actions": allowed})
        return access

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return

        def _answer(self, account: str | None, scopes: list[str]) -> None:
            now = int(time.time())
            claims = {
                "iss": issuer,
                "sub": account or "",
                "aud": service,
                "exp": now + 300,
                "nbf": now - 10,
                "iat": now,
                "jti": secrets.token_hex(8),
                "access": grant(scopes, account),
            }
            body = json.dumps({"token": sign(claims), "expires_in": 300}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _deny(self) -> None:
            self.send_response(401)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:
            q = parse_qs(urlsplit(self.path).query)
            scopes = [s for v in q.get("scope", []) for s in v.split(" ") if s]
            auth = self.headers.get("Authorization")
            with lock:
                state.requests.append(("GET", "basic" if auth else "anonymous", tuple(scopes)))
            if auth is None:
                return self._answer(None, scopes)
            try:
                user, _, pw = base64.b64decode(auth.split(" ", 1)[1]).decode().partition(":")
            except (ValueError, IndexError):
                return self._deny()
            if (user, pw) != (state.user, state.password):
                return self._deny()
            return self._answer(user, scopes)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = parse_qs(self.rfile.read(length).decode())
            scopes = [s for v in form.get("scope", []) for s in v.split(" ") if s]
            with lock:
                state.requests.append(("POST", form.get("grant_type", [""])[0], tuple(scopes)))
            if form.get("refresh_token", [""])[0] != state.refresh_token:
                return self._deny()
            return self._answer(state.user, scopes)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/token"
    return state, cert, server


@pytest.fixture(scope="session")
def token_registry(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[RegistryProcess, TokenService]]:
    """A plain-HTTP registry whose auth is Bearer tokens from :class:`TokenService`."""
    binary = shutil.which("docker-registry")
    if binary is None:
        _missing("docker-registry")
    root = tmp_path_factory.mktemp("registry-token")
    service, issuer = "dockgen-test-registry", "dockgen-test-issuer"
    tokens, cert, server = _start_token_service(root, service, issuer)
    reg = _start(root / "srv", delete=True, token=(tokens.url, service, issuer, cert))
    yield reg, tokens
    reg.stop()
    server.shutdown()  # type: ignore[attr-defined]
