"""Registry credentials: Docker's ``config.json``, credential helpers, and CI environment variables.

Lookup order for a registry (first hit wins):

1. ``DOCKGEN_REGISTRY_USER`` + ``DOCKGEN_REGISTRY_PASSWORD``, only for the registry named in
   ``DOCKGEN_REGISTRY_HOST`` (so a CI password never goes to an unrelated registry, such as a base-image mirror).
2. The docker config: the JSON in ``DOCKER_CONFIG_JSON`` when set, else ``$DOCKER_CONFIG/config.json``, else
   ``~/.docker/config.json``. In it: ``credHelpers[registry]``, then ``credsStore`` (both through the
   ``docker-credential-<name>`` helper protocol), then ``auths[registry]`` (``auth`` = base64 ``user:pass``,
   or ``username``/``password``, or ``identitytoken``).

Secrets are held in :class:`Credentials`, whose ``repr`` and ``str`` never show them.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dockgen.errors import ConfigError, RegistryError, ToolMissingError
from dockgen.reference import DOCKER_HUB, DOCKER_HUB_AUTH_KEY, normalize_registry

__all__ = [
    "Credentials",
    "HelperError",
    "config_path",
    "erase_with_helper",
    "get_from_helper",
    "load_config",
    "registry_key",
    "resolve",
    "store",
    "store_with_helper",
]

log = logging.getLogger("dockgen.registry.credentials")

HELPER_TIMEOUT = 30.0
_NOT_FOUND_MARKERS = ("credentials not found", "not found in native keychain", "no credentials")


@dataclass(frozen=True)
class Credentials:
    """A username and a secret. ``identity_token`` (an OAuth2 refresh token) replaces the password when set."""

    username: str
    password: str = field(repr=False, default="")
    identity_token: str | None = field(repr=False, default=None)
    source: str = "explicit"
    """Where they came from (for messages): ``config.json``, ``credsStore desktop``, ``env``..."""

    def __repr__(self) -> str:
        kind = "identity token" if self.identity_token else "password"
        return f"Credentials(username={self.username!r}, {kind}=***, source={self.source!r})"

    __str__ = __repr__

    def secrets(self) -> list[str]:
        """The secret strings (for redaction checks), never logged."""
        return [s for s in (self.password, self.identity_token) if s]


class HelperError(RegistryError):
    """A ``docker-credential-<name>`` helper failed."""


def registry_key(registry: str) -> str:
    """The ``config.json`` / credential-helper key for a registry (Docker Hub: ``https://index.docker.io/v1/``)."""
    r = normalize_registry(registry)
    return DOCKER_HUB_AUTH_KEY if r == DOCKER_HUB else r


def config_dir(env: Mapping[str, str] | None = None) -> Path:
    e = os.environ if env is None else env
    if e.get("DOCKER_CONFIG"):
        return Path(e["DOCKER_CONFIG"]).expanduser()
    return Path(e.get("HOME") or Path.home()) / ".docker"


def config_path(env: Mapping[str, str] | None = None) -> Path:
    """Where ``config.json`` lives: ``$DOCKER_CONFIG/config.json`` or ``~/.docker/config.json``."""
    return config_dir(env) / "config.json"


def load_config(env: Mapping[str, str] | None = None) -> tuple[dict[str, Any], str]:
    """The docker config as a dict and a description of where it came from. Missing file -> ``{}``."""
    e = os.environ if env is None else env
    inline = e.get("DOCKER_CONFIG_JSON")
    if inline:
        return _parse_config(inline, "DOCKER_CONFIG_JSON"), "DOCKER_CONFIG_JSON"
    path = config_path(e)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, str(path)
    except OSError as exc:
        raise ConfigError(f"cannot read docker config: {exc.strerror}", file=str(path)) from None
    return _parse_config(text, str(path)), str(path)


def _parse_config(text: str, where: str) -> dict[str, Any]:
    if not text.strip():
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        # the position only: the text may hold secrets
        raise ConfigError(
            f"docker config is not valid JSON ({exc.msg})",
            file=where,
            line=exc.lineno,
            column=exc.colno,
            hint='fix the JSON (e.g. `python -m json.tool` it); it must be an object with an "auths" key',
        ) from None
    if not isinstance(data, dict):
        raise ConfigError("docker config must be a JSON object", file=where)
    return data


def _matches(key: str, registry: str) -> bool:
    return normalize_registry(key) == normalize_registry(registry)


def _find_entry(section: Any, registry: str) -> tuple[str, Any] | None:
    if not isinstance(section, dict):
        return None
    want = registry_key(registry)
    if want in section:
        return want, section[want]
    for key, value in section.items():
        if isinstance(key, str) and _matches(key, registry):
            return key, value
    return None


def _decode_entry(entry: Any, where: str, key: str) -> Credentials | None:
    if not isinstance(entry, dict):
        return None
    token = entry.get("identitytoken") or None
    username = entry.get("username") or ""
    password = entry.get("password") or ""
    auth = entry.get("auth")
    if auth:
        try:
            decoded = base64.b64decode(str(auth), validate=False).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise ConfigError(
                f'auths["{key}"].auth is not base64 of "user:password"',
                file=where,
                hint="re-run `dockgen login` (or `docker login`) for this registry",
            ) from None
        if ":" not in decoded:
            raise ConfigError(
                f'auths["{key}"].auth does not decode to "user:password"',
                file=where,
                hint="re-run `dockgen login` (or `docker login`) for this registry",
            )
        username, password = decoded.split(":", 1)
    if not username and not password and not token:
        return None
    return Credentials(username=username, password=password, identity_token=token, source=where)


def _helper_binary(name: str) -> str | None:
    return shutil.which(f"docker-credential-{name}")


def _run_helper(name: str, action: str, stdin: str) -> subprocess.CompletedProcess[str]:
    exe = _helper_binary(name)
    if exe is None:
        raise ToolMissingError(
            f"credential helper docker-credential-{name} is not on PATH",
            hint=f'install it, or remove "{name}" from credsStore/credHelpers in your docker config',
        )
    try:
        return subprocess.run(
            [exe, action], input=stdin, capture_output=True, text=True, timeout=HELPER_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        raise HelperError(
            f"credential helper docker-credential-{name} {action} did not finish in {HELPER_TIMEOUT:.0f}s",
            hint="is it waiting for a keychain unlock prompt?",
        ) from None
    except OSError as exc:
        raise HelperError(f"cannot run docker-credential-{name}: {exc.strerror}") from None


def _helper_failure(name: str, action: str, proc: subprocess.CompletedProcess[str]) -> str:
    # The helper's own message, first line only and cut short: helpers print errors, never secrets, there.
    text = (proc.stdout.strip() or proc.stderr.strip()).splitlines()
    first = text[0][:200] if text else f"exit code {proc.returncode}"
    return f"docker-credential-{name} {action} failed: {first}"


def get_from_helper(name: str, registry: str) -> Credentials | None:
    """``docker-credential-<name> get`` with the server URL on stdin; ``None`` when it has nothing stored."""
    key = registry_key(registry)
    proc = _run_helper(name, "get", key)
    if proc.returncode != 0:
        out = (proc.stdout + proc.stderr).lower()
        if any(m in out for m in _NOT_FOUND_MARKERS):
            return None
        raise HelperError(_helper_failure(name, "get", proc))
    try:
        data = json.loads(proc.stdout)
    except json.JSONDecodeError:
        raise HelperError(f"docker-credential-{name} get printed something that is not JSON") from None
    if not isinstance(data, dict):
        raise HelperError(f"docker-credential-{name} get printed JSON that is not an object")
    username = str(data.get("Username") or "")
    secret = str(data.get("Secret") or "")
    if not username and not secret:
        return None
    if username == "<token>":
        return Credentials(username="", identity_token=secret, source=f"docker-credential-{name}")
    return Credentials(username=username, password=secret, source=f"docker-credential-{name}")


def store_with_helper(name: str, registry: str, creds: Credentials) -> None:
    """``docker-credential-<name> store`` with ``{"ServerURL","Username","Secret"}`` on stdin."""
    payload = json.dumps(
        {
            "ServerURL": registry_key(registry),
            "Username": creds.username if not creds.identity_token else "<token>",
            "Secret": creds.identity_token or creds.password,
        }
    )
    proc = _run_helper(name, "store", payload)
    if proc.returncode != 0:
        raise HelperError(_helper_failure(name, "store", proc))


def erase_with_helper(name: str, registry: str) -> None:
    proc = _run_helper(name, "erase", registry_key(registry))
    if proc.returncode != 0:
        out = (proc.stdout + proc.stderr).lower()
        if not any(m in out for m in _NOT_FOUND_MARKERS):
            raise HelperError(_helper_failure(name, "erase", proc))


def helper_for(config: Mapping[str, Any], registry: str) -> str | None:
    """The credential helper configured for a registry: ``credHelpers`` entry, else ``credsStore``."""
    found = _find_entry(config.get("credHelpers"), registry)
    if found and isinstance(found[1], str) and found[1]:
        return found[1]
    store_name = config.get("credsStore")
    return store_name if isinstance(store_name, str) and store_name else None


def _env_credentials(registry: str, env: Mapping[str, str]) -> Credentials | None:
    user = env.get("DOCKGEN_REGISTRY_USER")
    password = env.get("DOCKGEN_REGISTRY_PASSWORD")
    if not user or password is None:
        return None
    hosts = [h for h in env.get("DOCKGEN_REGISTRY_HOST", "").replace(",", " ").split() if h]
    if not hosts:
        log.warning(
            "DOCKGEN_REGISTRY_USER/DOCKGEN_REGISTRY_PASSWORD ignored: set DOCKGEN_REGISTRY_HOST to the registry "
            "they belong to"
        )
        return None
    if not any(_matches(h, registry) for h in hosts):
        return None
    return Credentials(username=user, password=password, source="DOCKGEN_REGISTRY_USER/PASSWORD")


def resolve(registry: str, env: Mapping[str, str] | None = None) -> Credentials | None:
    """The credentials to use for ``registry`` (any spelling: ``docker.io``, ``host:port``, a URL), or None."""
    e = os.environ if env is None else env
    found = _env_credentials(registry, e)
    if found is not None:
        return found
    config, where = load_config(e)
    helper = helper_for(config, registry)
    entry = _find_entry(config.get("auths"), registry)
    inline = _decode_entry(entry[1], where, entry[0]) if entry else None
    if helper is not None:
        try:
            from_helper = get_from_helper(helper, registry)
        except ToolMissingError as exc:
            if inline is not None:
                return inline
            log.warning("%s; continuing without credentials for %s", exc.message, registry)
            return None
        if from_helper is not None:
            return from_helper
    return inline


def store(registry: str, creds: Credentials, env: Mapping[str, str] | None = None) -> str:
    """Save credentials like ``docker login``: into the configured helper, else base64 into config.json (0600).

    Returns a description of where they went. ``DOCKER_CONFIG_JSON`` is read-only (it is an environment
    variable): ``store`` then writes to the config file as usual.
    """
    e = os.environ if env is None else env
    path = config_path(e)
    config = _read_file_config(path)
    helper = helper_for(config, registry)
    key = registry_key(registry)
    if helper is not None:
        store_with_helper(helper, registry, creds)
        auths = config.setdefault("auths", {})
        if isinstance(auths, dict) and key not in auths:
            auths[key] = {}
            _write_config(path, config)
        return f"credential helper docker-credential-{helper}"
    auths = config.setdefault("auths", {})
    if not isinstance(auths, dict):
        raise ConfigError('"auths" is not an object', file=str(path), hint="fix or remove the file")
    for k in [k for k in auths if isinstance(k, str) and k != key and _matches(k, registry)]:
        del auths[k]  # one entry per registry, under docker's key
    if creds.identity_token:
        auths[key] = {"identitytoken": creds.identity_token}
    else:
        raw = f"{creds.username}:{creds.password}".encode()
        auths[key] = {"auth": base64.b64encode(raw).decode("ascii")}
    _write_config(path, config)
    return str(path)


def _read_file_config(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    return _parse_config(text, str(path))


def _write_config(path: Path, config: Mapping[str, Any]) -> None:
    """Atomically (temp file + rename), mode 0600, through a symlink (a dotfiles-managed config.json stays a
    link and its target is replaced)."""
    path = Path(os.path.realpath(path))
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=".config.json.", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(config, fh, indent="\t")
            fh.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
