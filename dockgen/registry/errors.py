"""Registry errors: every one says what failed, where, and what to do.

All are :class:`dockgen.errors.RegistryError` subclasses, so the CLI prints them without a traceback. None of
them ever carries a password, token or ``Authorization`` header: they are built from host names, repository
names, user names and the registry's own error codes only.
"""

from __future__ import annotations

from dockgen.errors import InvalidReferenceError, RegistryError

__all__ = [
    "BlobNotFoundError",
    "ConnectionRefusedToRegistryError",
    "DeniedError",
    "InvalidReferenceError",
    "LoginFailedError",
    "ManifestNotFoundError",
    "NotFoundError",
    "ProtocolError",
    "RateLimitedError",
    "RegistryConnectionError",
    "RegistryError",
    "RegistryTimeoutError",
    "RepositoryNotFoundError",
    "RequestRejectedError",
    "ServerError",
    "TLSError",
    "UnauthorizedError",
    "UnknownHostError",
    "UnsupportedError",
]


class UnauthorizedError(RegistryError):
    """The registry wants credentials and has none (or none that it accepts) for this request."""

    def __init__(self, registry: str, *, username: str | None = None, detail: str | None = None) -> None:
        self.registry = registry
        self.username = username
        if username is None:
            message = f"not logged in to {registry}"
            hint = f"run `dockgen login {registry}` or `docker login {registry}`"
        else:
            message = f"{registry} rejected the credentials of user {username!r}"
            hint = f"check the password or token, then run `dockgen login {registry} -u {username} --password-stdin`"
        if detail:
            message += f" ({detail})"
        super().__init__(message, hint=hint)


class LoginFailedError(UnauthorizedError):
    """``dockgen login`` could not verify the username/password with the registry."""


class DeniedError(RegistryError):
    """Authenticated (or anonymous) but not allowed to do this on this repository."""

    def __init__(
        self, registry: str, repository: str | None, action: str, *, username: str | None = None
    ) -> None:
        self.registry = registry
        self.repository = repository
        self.action = action
        self.username = username
        where = f"{registry}/{repository}" if repository else registry
        who = f"logged in as {username}" if username else "anonymous (not logged in)"
        hint = (
            "ask the registry's administrator for access, or check the repository name"
            if username
            else f"run `dockgen login {registry}` first"
        )
        super().__init__(f"{who} but not allowed to {action} {where}", hint=hint)


class NotFoundError(RegistryError):
    """The repository, tag, manifest or blob does not exist."""


class RepositoryNotFoundError(NotFoundError):
    def __init__(self, registry: str, repository: str) -> None:
        self.registry = registry
        self.repository = repository
        super().__init__(
            f"repository {registry}/{repository} is unknown to the registry",
            hint="check the name (namespaces matter: docker.io images live under library/ or a user name)",
        )


class ManifestNotFoundError(NotFoundError):
    def __init__(
        self, registry: str, repository: str, reference: str, *, existing_tags: list[str] | None = None
    ) -> None:
        self.registry = registry
        self.repository = repository
        self.reference = reference
        sep = "@" if ":" in reference else ":"
        if existing_tags:
            shown = ", ".join(sorted(existing_tags)[:10]) + (", ..." if len(existing_tags) > 10 else "")
            hint = f"the repository has {len(existing_tags)} tag(s): {shown}"
        else:
            hint = "check the tag or digest (the repository may have been pruned)"
        super().__init__(f"manifest {registry}/{repository}{sep}{reference} not found", hint=hint)


class BlobNotFoundError(NotFoundError):
    def __init__(self, registry: str, repository: str, digest: str) -> None:
        self.registry = registry
        self.repository = repository
        self.digest = digest
        super().__init__(f"blob {digest} not found in {registry}/{repository}")


class UnsupportedError(RegistryError):
    """The registry does not implement (or has disabled) an operation."""


class RegistryConnectionError(RegistryError):
    """The registry could not be reached or dropped the connection."""


class UnknownHostError(RegistryConnectionError):
    def __init__(self, registry: str) -> None:
        self.registry = registry
        super().__init__(
            f"cannot resolve registry host {registry.rsplit(':', 1)[0] if registry.count(':') == 1 else registry}",
            hint="check the registry name in the image reference (and your DNS / network)",
        )


class ConnectionRefusedToRegistryError(RegistryConnectionError):
    def __init__(self, registry: str) -> None:
        self.registry = registry
        super().__init__(
            f"connection to {registry} refused: nothing is listening there",
            hint="is the registry running, and is the port right?",
        )


class RegistryTimeoutError(RegistryConnectionError):
    def __init__(self, registry: str, what: str) -> None:
        self.registry = registry
        super().__init__(
            f"{registry} did not answer in time ({what})",
            hint="retry later; raise DOCKGEN_REGISTRY_TIMEOUT for slow registries",
        )


class TLSError(RegistryConnectionError):
    def __init__(self, registry: str, reason: str) -> None:
        self.registry = registry
        super().__init__(
            f"TLS handshake with {registry} failed: {reason}",
            hint=(
                "if the registry uses a private CA, set DOCKGEN_CA_BUNDLE=/path/to/ca.pem (or put it at "
                f"/etc/docker/certs.d/{registry}/ca.crt); for a test registry without valid TLS, add it to "
                f"DOCKGEN_INSECURE_REGISTRIES={registry}"
            ),
        )


class RateLimitedError(RegistryError):
    def __init__(self, registry: str, retry_after: float | None) -> None:
        self.registry = registry
        self.retry_after = retry_after
        after = f" (the registry asks to wait {retry_after:.0f}s)" if retry_after else ""
        super().__init__(
            f"{registry} is rate-limiting requests (429){after}",
            hint="wait and retry; log in to get a higher quota (Docker Hub limits anonymous pulls)",
        )


class ServerError(RegistryError):
    def __init__(self, registry: str, status: int, what: str) -> None:
        self.registry = registry
        self.status = status
        super().__init__(
            f"{registry} failed with HTTP {status} on {what}",
            hint="the registry is having trouble; retry later or check its logs",
        )


class ProtocolError(RegistryError):
    """The registry answered something that does not follow the distribution API."""


class RequestRejectedError(RegistryError):
    """The registry refused a request for a reason it named (e.g. ``MANIFEST_INVALID``, ``TAG_INVALID``)."""

    def __init__(self, registry: str, what: str, status: int, codes: list[str], detail: str) -> None:
        self.registry = registry
        self.status = status
        self.codes = codes
        reason = ", ".join(codes) if codes else f"HTTP {status}"
        text = f"{registry} rejected {what}: {reason}"
        if detail:
            text += f" ({detail})"
        super().__init__(text)
