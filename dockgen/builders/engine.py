"""The Engine-API backend: the classic builder through the docker SDK (``client.api.build``).

For hosts without buildx. The classic builder cannot build several platforms at once, mount caches or
secrets (``RUN --mount``), forward ssh agents, read heredocs (``RUN <<EOF``), export or import a registry
cache, or attach attestations: :meth:`EngineBackend.check` refuses such an image before anything is built,
naming the image and the instruction. The build context is packed by dockgen itself, with the same
``.dockerignore`` matcher the content hash uses.
"""

from __future__ import annotations

import io
import re
import tarfile
from collections.abc import Iterator, Mapping
from typing import Any

from dockgen.builders.backend import BuildJob, BuildResult, LogTail, build_failure
from dockgen.builders.progress import Reporter
from dockgen.builders.spec import BuildSpec
from dockgen.dockerignore import context_files
from dockgen.errors import BuildError, RegistryError, ToolMissingError
from dockgen.reference import split_reference

_FROM_LINE = re.compile(r"^(\s*FROM\s+(?:--platform=\S+\s+)?)(\S+)", re.IGNORECASE | re.MULTILINE)

UNSUPPORTED = (
    (
        re.compile(r"^\s*RUN\b[^\n]*--mount=", re.IGNORECASE | re.MULTILINE),
        "RUN --mount (cache/secret/ssh mounts)",
    ),
    (re.compile(r"<<-?[\"']?[A-Za-z_]+", re.MULTILINE), "heredoc (<<EOF)"),
    (re.compile(r"^\s*(?:COPY|ADD)\b[^\n]*--link\b", re.IGNORECASE | re.MULTILINE), "COPY --link"),
    (re.compile(r"^\s*(?:COPY|ADD)\b[^\n]*--parents\b", re.IGNORECASE | re.MULTILINE), "COPY --parents"),
)


def _docker() -> Any:
    try:
        import docker
    except ImportError:  # pragma: no cover - docker is a hard dependency
        raise ToolMissingError("the docker SDK is not installed", hint="pip install docker") from None
    try:
        return docker.from_env(timeout=600)
    except Exception as exc:
        raise ToolMissingError(
            f"cannot reach the Docker engine: {exc}", hint="start Docker, or set DOCKER_HOST"
        ) from None


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


class EngineBackend:
    name = "engine"

    def __init__(self, auth: Mapping[str, Mapping[str, str]] | None = None) -> None:
        self._client: Any = None
        self.auth = auth

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = _docker()
        return self._client

    def check(self, spec: BuildSpec) -> None:
        problems: list[str] = []
        if len(spec.platforms) > 1:
            problems.append(f"several platforms ({', '.join(spec.platforms)})")
        if spec.secrets:
            problems.append(f"build secrets ({', '.join(s.id for s in spec.secrets)})")
        if spec.ssh:
            problems.append("ssh forwarding")
        if spec.cache_from or spec.cache_to:
            problems.append("registry cache (--cache-from/--cache-to)")
        if spec.provenance or spec.sbom:
            problems.append("attestations (provenance/SBOM)")
        for pattern, what in UNSUPPORTED:
            m = pattern.search(spec.dockerfile)
            if m:
                line = spec.dockerfile.splitlines()[_line_of(spec.dockerfile, m.start()) - 1].strip()
                problems.append(
                    f"{what} at Dockerfile line {_line_of(spec.dockerfile, m.start())}: {line[:80]}"
                )
        if problems:
            raise BuildError(
                f"image {spec.name!r} cannot be built by the Engine-API (classic) builder: "
                + "; ".join(problems),
                hint="install docker buildx and use --backend buildx (the default when buildx is available)",
            )

    def _tar(self, spec: BuildSpec, dockerfile: str) -> io.BytesIO:
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w") as tar:
            for rel in context_files(spec.context, spec.dockerignore):
                tar.add(str(spec.context / rel), arcname=rel, recursive=False)
            data = dockerfile.encode()
            info = tarfile.TarInfo(".dockgen.Dockerfile")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        buf.seek(0)
        return buf

    def build(self, job: BuildJob, reporter: Reporter) -> BuildResult:
        spec = job.spec
        self.check(spec)
        dockerfile = _FROM_LINE.sub(
            lambda m: m.group(1) + job.build_contexts.get(m.group(2), m.group(2)), spec.dockerfile
        )
        args = dict(spec.build_args)  # the classic builder has no SOURCE_DATE_EPOCH support
        labels = dict(job.labels)
        labels.update(job.annotations)  # no annotations in the classic builder: labels instead
        tail = LogTail()
        image_id: str | None = None
        stream = self.client.api.build(
            fileobj=self._tar(spec, dockerfile),
            custom_context=True,
            dockerfile=".dockgen.Dockerfile",
            buildargs=args,
            labels=labels,
            target=spec.target,
            platform=spec.platforms[0] if spec.platforms else None,
            rm=True,
            forcerm=True,
            decode=True,
        )
        step_re = re.compile(r"^Step (\d+/\d+) : (.+)$")
        for chunk in stream:
            for line in _lines(chunk):
                line = reporter.redactor.redact(line)
                m = step_re.match(line)
                shown = f"#{m.group(1).split('/')[0]} [{m.group(1)}] {m.group(2)}" if m else line
                tail.add(shown)
                reporter.log(spec.name, shown)
            if "aux" in chunk and isinstance(chunk["aux"], dict) and "ID" in chunk["aux"]:
                image_id = chunk["aux"]["ID"]
            if "errorDetail" in chunk or "error" in chunk:
                message = (
                    (chunk.get("errorDetail") or {}).get("message") or chunk.get("error") or "build failed"
                )
                tail.error_lines.append(f"ERROR: {reporter.redactor.redact(str(message))}")
                if tail.failed_step is None and tail.steps:
                    tail.failed_step = list(tail.steps.values())[-1]
                raise build_failure(spec.name, tail, declared_at=spec.declared_at)
        if image_id is None:
            raise build_failure(spec.name, tail, declared_at=spec.declared_at)
        for ref in (*job.local_tags, *job.push_names):
            repo, tag = split_reference(ref)
            self.client.api.tag(image_id, repo, tag)
        size = int(self.client.api.inspect_image(image_id).get("Size") or 0) or None
        digest: str | None = image_id
        if job.push_names:
            for ref in job.push_names:
                digest = self.push(ref, reporter, spec.name)
        return BuildResult(digest=digest, image_id=image_id, size=size, pushed=bool(job.push_names))

    def push(self, ref: str, reporter: Reporter, image: str) -> str:
        """``docker push`` through the API; errors hidden in the JSON stream (``errorDetail``) are raised."""
        repo, tag = split_reference(ref)
        registry = repo.split("/", 1)[0]
        auth = _auth_config(registry)
        reporter.state(image, "pushing", ref)
        digest: str | None = None
        for chunk in self.client.api.push(repo, tag=tag, stream=True, decode=True, auth_config=auth):
            if "errorDetail" in chunk or "error" in chunk:
                message = str((chunk.get("errorDetail") or {}).get("message") or chunk.get("error"))
                raise push_error(registry, repo, message, auth)
            aux = chunk.get("aux")
            if isinstance(aux, dict) and isinstance(aux.get("Digest"), str):
                digest = aux["Digest"]
            status = chunk.get("status")
            if status and "id" not in chunk:
                reporter.log(image, str(status))
                m = re.search(r"digest: (sha256:[0-9a-f]{64})", str(status))
                if m and digest is None:
                    digest = m.group(1)
        if digest is None:
            raise RegistryError(f"pushing {ref} reported no digest", hint="check the registry logs")
        return digest


def _lines(chunk: Mapping[str, Any]) -> Iterator[str]:
    text = chunk.get("stream")
    if isinstance(text, str):
        for line in text.splitlines():
            if line.strip():
                yield line.rstrip()


def _auth_config(registry: str) -> dict[str, str] | None:
    from dockgen.registry import credentials

    creds = credentials.resolve(registry)
    if creds is None:
        return None
    if creds.identity_token:
        return {"identitytoken": creds.identity_token, "serveraddress": registry}
    return {"username": creds.username, "password": creds.password, "serveraddress": registry}


def push_error(registry: str, repo: str, message: str, auth: Mapping[str, str] | None) -> RegistryError:
    """Turn the engine's push error text into an actionable error (never echoing credentials)."""
    from dockgen.registry import errors as regerr

    low = message.lower()
    user = auth.get("username") if auth else None
    path = repo.split("/", 1)[1] if "/" in repo else repo
    if "unauthorized" in low or "authentication required" in low or "no basic auth credentials" in low:
        return regerr.UnauthorizedError(registry, username=user)
    if "denied" in low or "forbidden" in low:
        return regerr.DeniedError(registry, path, "push to", username=user)
    if "no such host" in low:
        return regerr.UnknownHostError(registry)
    if "x509" in low or "certificate" in low or "server gave http response to https client" in low:
        return regerr.TLSError(registry, message[:160])
    hint = "retry; check the registry"
    if "no space left on device" in low:
        hint = "the registry's storage is full: free space there (or run its garbage collection), then retry"
    return RegistryError(f"pushing to {registry}/{path} failed: {clip_cause(message)}", hint=hint)


def clip_cause(message: str, limit: int = 1000) -> str:
    """An engine error shortened without losing its cause: upload-session tokens (``?_state=...``) dropped,
    and when still too long, the start and the end kept (the cause, e.g. "no space left on device", is last)."""
    text = re.sub(r"\?_state=[^\s\"':]+", "?...", message.strip())
    if len(text) <= limit:
        return text
    head = limit // 3
    return text[:head] + " ... " + text[-(limit - head - 5) :]
