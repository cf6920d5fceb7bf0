"""The BuildKit backend: one ``docker buildx build`` per image.

Why per image and not one ``bake``: every image gets its own live progress and its own failure (the
others keep going or stop cleanly), and a dependent image can be pinned to the exact digest of the
dependency built a moment earlier in the same run (``--build-context ref=docker-image://repo@sha256:...``).
``dockgen plan --bake-file`` still writes a bake file for teams that prefer ``docker buildx bake``.
"""

from __future__ import annotations

import functools
import json
import os
import random
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from dockgen.builders.backend import BuildJob, BuildResult, LogTail, build_failure, dockerfile_dir
from dockgen.builders.progress import Reporter
from dockgen.builders.spec import BuildSpec
from dockgen.errors import BuildError, ToolMissingError
from dockgen.interrupts import child
from dockgen.reference import split_reference


@dataclass(frozen=True)
class BuilderInfo:
    name: str
    driver: str
    buildkit: str | None

    @property
    def buildkit_version(self) -> tuple[int, int] | None:
        m = re.match(r"v?(\d+)\.(\d+)", self.buildkit or "")
        if not m or (int(m.group(1)), int(m.group(2))) == (0, 0):
            return None
        return int(m.group(1)), int(m.group(2))

    @property
    def can_rewrite_timestamp(self) -> bool:
        """``rewrite-timestamp=true`` needs BuildKit >= 0.13 and an exporter that does not unpack (the
        ``docker`` driver always unpacks into the engine's image store, so it cannot). A daemon built from
        source without version information reports ``v0.0.0+unknown``; a non-``docker`` driver is then
        assumed to be current (every BuildKit release of the last two years has the option)."""
        v = self.buildkit_version
        return self.driver != "docker" and (v is None or v >= (0, 13))

    @property
    def can_push_by_digest(self) -> bool:
        """BuildKit's ``push-by-digest=true``: every driver except ``docker`` (whose image exporter is the
        engine's own and does not implement it)."""
        return self.driver != "docker"


def buildx_available(docker: str = "docker") -> bool:
    try:
        out = subprocess.run([docker, "buildx", "version"], capture_output=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return out.returncode == 0


@functools.lru_cache(maxsize=8)
def inspect_builder(builder: str | None, docker: str = "docker") -> BuilderInfo:
    cmd = [docker, "buildx", "inspect", *([builder] if builder else [])]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ToolMissingError(
            f"cannot run docker buildx: {exc}", hint="install the docker buildx plugin"
        ) from None
    if out.returncode != 0:
        err = out.stderr.strip().removeprefix("ERROR: ")
        if builder and "no builder" in err and "found" in err:
            raise BuildError(
                f'builder "{builder}" not found',
                hint=f"list builders with `docker buildx ls`; create one with `docker buildx create --name {builder}` "
                "(the docker-container driver needs the moby/buildkit image)",
            )
        raise BuildError(
            f"buildx builder {builder or '(default)'} is not usable: {err}",
            hint="list builders with `docker buildx ls`; create one with `docker buildx create --name NAME`",
        )
    fields: dict[str, str] = {}
    for line in out.stdout.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and key.strip() not in fields:
            fields[key.strip()] = value.strip()
    return BuilderInfo(
        name=fields.get("Name", builder or "default"),
        driver=fields.get("Driver", "unknown"),
        buildkit=fields.get("BuildKit version") or fields.get("Buildkit"),
    )


def _quote_csv(value: str) -> str:
    """Quote one CSV field of a buildx ``--output`` value (names are comma-separated inside it)."""
    return '"' + value.replace('"', '""') + '"' if ("," in value or '"' in value) else value


class BuildxBackend:
    name = "buildx"

    def __init__(self, builder: str | None = None, docker: str = "docker") -> None:
        self.builder = builder
        self.docker = docker
        self._info: BuilderInfo | None = None
        self._layouts: tempfile.TemporaryDirectory[str] | None = None

    @property
    def info(self) -> BuilderInfo:
        if self._info is None:
            self._info = inspect_builder(self.builder, self.docker)
        return self._info

    @property
    def sees_engine_images(self) -> bool:
        """Only the ``docker`` driver's BuildKit reads the engine's image store; every other builder gets a
        locally built dependency as an OCI layout (``--build-context ref=oci-layout://...``)."""
        return self.info.driver == "docker"

    def _layout_dir(self, name: str) -> Path:
        if self._layouts is None:
            self._layouts = tempfile.TemporaryDirectory(prefix="dockgen-oci-")
        return Path(tempfile.mkdtemp(prefix=f"{name}-", dir=self._layouts.name))

    def check(self, spec: BuildSpec) -> None:
        """The builder must exist (inspected once per run)."""
        _ = self.info

    def command(
        self, job: BuildJob, dockerfile: Path, metadata: Path, layout: Path | None = None
    ) -> list[str]:
        """The ``docker buildx build`` argv for ``job`` (no secret values appear in it); ``layout``: also
        export the result as an OCI layout there (for dependents on a builder without the engine's images)."""
        spec = job.spec
        cmd = [self.docker]
        if self.builder and self.info.driver == "docker" and self.builder != "default":
            # a docker-driver builder is a docker context; buildx refuses `--builder` for one that is not
            # the current context ("use `docker --context=NAME buildx`")
            cmd += ["--context", self.builder, "buildx"]
        elif self.builder:
            cmd += ["buildx", "--builder", self.builder]
        else:
            cmd += ["buildx"]
        cmd += ["build", "--progress=plain", "-f", str(dockerfile), "--metadata-file", str(metadata)]
        if spec.platforms:
            cmd += ["--platform", ",".join(spec.platforms)]
        if spec.target:
            cmd += ["--target", spec.target]
        args = dict(spec.build_args)
        if job.source_date_epoch is not None:
            args.setdefault("SOURCE_DATE_EPOCH", str(job.source_date_epoch))
        for key, value in args.items():
            cmd += ["--build-arg", f"{key}={value}"]
        for key, value in job.labels.items():
            cmd += ["--label", f"{key}={value}"]
        for secret in spec.secrets:
            cmd += ["--secret", secret.buildx_arg()]
        for ssh in spec.ssh:
            cmd += ["--ssh", ssh]
        for cache in spec.cache_from:
            cmd += ["--cache-from", cache]
        for cache in spec.cache_to:
            cmd += ["--cache-to", cache]
        provenance = spec.provenance
        if isinstance(provenance, str):
            # "min"/"max" are modes; anything else is passed as written (e.g. "mode=max,builder-id=...")
            value = f"mode={provenance}" if provenance in ("min", "max") else provenance
        else:
            value = str(provenance).lower()
        cmd += ["--provenance", value]
        sbom = spec.sbom
        # a string names the generator image: --sbom=generator=registry/scanner:tag
        cmd += ["--sbom", f"generator={sbom}" if isinstance(sbom, str) else str(sbom).lower()]
        for ref, pinned in job.build_contexts.items():
            source = pinned if "://" in pinned else f"docker-image://{pinned}"
            cmd += ["--build-context", f"{ref}={source}"]
        multi = len(spec.platforms) > 1 or bool(provenance) or spec.sbom
        for key, value in job.annotations.items():
            # One flag per level: buildx 0.13 stores "manifest,index:KEY" as a literal key.
            for level in ("manifest", "index") if multi else ("manifest",):
                cmd += ["--annotation", f"{level}:{key}={value}"]
        if job.push_names:
            names = job.push_names
            by_digest = self.info.can_push_by_digest
            if by_digest:
                # no tag at all until the run adds the tags (the content tag included): an image stopped by
                # the scan gate or a failed tagging leaves only an unreferenced manifest behind
                names = tuple(dict.fromkeys(split_reference(n)[0] for n in names))
            opts = ["type=image", "name=" + ",".join(names), "push=true"]
            if by_digest:
                opts.append("push-by-digest=true")
            if job.source_date_epoch is not None and self.info.can_rewrite_timestamp:
                opts.append("rewrite-timestamp=true")
            cmd += ["--output", ",".join(_quote_csv(o) for o in opts)]
        else:
            for tag in job.local_tags:
                cmd += ["--tag", tag]
            if self.info.driver != "docker":
                cmd += ["--load"]
            if layout is not None:
                cmd += ["--output", f"type=oci,{_quote_csv('dest=' + str(layout))},tar=false"]
        cmd.append(str(spec.context))
        return cmd

    def build(self, job: BuildJob, reporter: Reporter) -> BuildResult:
        spec = job.spec
        with tempfile.TemporaryDirectory(prefix="dockgen-build-") as tmp:
            dockerfile = dockerfile_dir(Path(tmp) / "df", spec)
            metadata = Path(tmp) / "metadata.json"
            layout = None if job.push_names or self.sees_engine_images else self._layout_dir(spec.name)
            cmd = self.command(job, dockerfile, metadata, layout)
            for attempt in range(1, PUSH_ATTEMPTS + 1):
                tail = run_streaming(cmd, spec.name, reporter)
                if tail is None:
                    break
                if not (job.push_names and _transient_export_failure(tail)) or attempt == PUSH_ATTEMPTS:
                    raise build_failure(spec.name, tail, hint=_hint(tail), declared_at=spec.declared_at)
                delay = min(8.0, 0.5 * 2**attempt) * (0.5 + random.random() / 2)
                reporter.note(
                    f"export/push failed ({(tail.error_lines or ['?'])[-1][:120]}); retry {attempt} in {delay:.1f}s "
                    "(the build itself is cached)",
                    spec.name,
                )
                time.sleep(delay)
            try:
                meta = json.loads(metadata.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                meta = {}
        digest = meta.get("containerimage.digest")
        config = meta.get("containerimage.config.digest")
        names = job.local_tags or job.push_names
        size = self._local_size(names[0], loaded=bool(job.local_tags)) if names else None
        return BuildResult(
            digest=digest if isinstance(digest, str) else None,
            config_digest=config if isinstance(config, str) else None,
            size=size,
            pushed=bool(job.push_names),
            local_source=_layout_source(layout) if layout is not None else None,
        )

    def _local_size(self, ref: str, loaded: bool) -> int | None:
        """Size in the engine's image store: there after every build of the ``docker`` driver, and after a
        local build (``--load``) of the others."""
        if self.info.driver != "docker" and not loaded:
            return None
        out = subprocess.run(
            [self.docker, "image", "inspect", "--format", "{{.Size}}", ref],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        value = out.stdout.strip()
        return int(value) if out.returncode == 0 and value.isdigit() else None


PUSH_ATTEMPTS = 3


def _layout_source(layout: Path) -> str | None:
    """``oci-layout://DIR@sha256:...`` of the one image BuildKit wrote into the OCI layout ``layout``."""
    try:
        index = json.loads((layout / "index.json").read_text(encoding="utf-8"))
        digest = index["manifests"][0]["digest"]
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return None
    return f"oci-layout://{layout}@{digest}" if isinstance(digest, str) else None


def _transient_export_failure(tail: LogTail) -> bool:
    """A failure after every Dockerfile step succeeded, while exporting/pushing, that is worth another try:
    registry 5xx/429, dropped connections, and the engine's own "not found" races between parallel pushes.
    Authentication, permission and TLS failures are final."""
    if tail.failed_step is not None and not tail.failed_step.startswith("exporting"):
        return False
    # BuildKit's last line keeps only the registry's error text ("failed to push X: unknown: ..."); the
    # HTTP status of each of its own attempts is in the log ("unexpected status from PUT request to ...: 503")
    attempts = [line for line in tail.tail() if "unexpected status from" in line]
    text = "\n".join([*tail.error_lines, *attempts]).lower()
    final = ("unauthorized", "denied", "forbidden", "x509", "certificate", "no such host", "tls:")
    if any(word in text for word in final):
        return False
    transient = (
        "not found",
        "500 internal",
        "502",
        "503",
        "504",
        "429",
        "too many requests",
        "connection reset",
        "broken pipe",
        "eof",
        "i/o timeout",
        "timeout",
        "connection refused",
    )
    return any(word in text for word in transient)


def _in_run(tail: LogTail) -> bool:
    """The build failed inside a RUN command (its own process), not pulling, pushing or exporting."""
    step = tail.failed_step or ""
    return bool(re.match(r"^\[[^\]]*\] RUN ", step)) or any(
        "did not complete successfully" in line for line in tail.error_lines
    )


def _hint(tail: LogTail) -> str | None:
    text = "\n".join(tail.lines)
    if _in_run(tail):
        # the registry settings of the engine do not reach a command inside RUN: hint at what does
        if "x509:" in text or "certificate" in text.lower() or "SSL" in text:
            return (
                "a command inside RUN could not verify a TLS certificate (a proxy or private index with its own "
                "CA?): add the CA to the image before that step (COPY it and run update-ca-certificates, or "
                "point the tool at it, e.g. PIP_CERT), or pass it with a secret mount"
            )
        return None  # the command's own output (in the log tail) says what went wrong
    if "push-by-digest" in text or "not implemented for docker driver" in text:
        return "use a docker-container builder: docker buildx create --use --name dockgen"
    if "Cache export is not supported" in text:
        return "registry cache export needs a docker-container builder or the containerd image store"
    if "401 Unauthorized" in text or "unauthorized" in text.lower():
        return "log in to the registry first: docker login REGISTRY (or dockgen login REGISTRY)"
    if "x509:" in text or "certificate" in text:
        return "add the registry CA to /etc/docker/certs.d/HOST:PORT/ca.crt (or mark it insecure for the builder)"
    return None


def run_streaming(
    cmd: Sequence[str], image: str, reporter: Reporter, env: dict[str, str] | None = None
) -> LogTail | None:
    """Run ``cmd`` streaming its merged output to ``reporter``; return None on success, the log tail on failure."""
    if shutil.which(cmd[0]) is None:
        raise ToolMissingError(f"{cmd[0]} is not installed", hint="install Docker (and the buildx plugin)")
    tail = LogTail()
    full_env = {**os.environ, **(env or {}), "BUILDKIT_PROGRESS": "plain"}
    with (
        subprocess.Popen(
            list(cmd),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            errors="replace",
            bufsize=1,
            env=full_env,
        ) as proc,
        child(proc),
    ):  # ended by an interrupt (dockgen.interrupts.end_children)
        assert proc.stdout is not None
        for line in proc.stdout:
            line = reporter.redactor.redact(line.rstrip("\n"))
            tail.add(line)
            reporter.log(image, line)
        rc = proc.wait()
    return None if rc == 0 else tail
