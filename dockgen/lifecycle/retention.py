"""Digest-safe retention: decide which tags go (pure), then plan and apply the deletes against a registry.

Three steps:

1. :func:`decide` -- pure: every tag's kind, age and the policy's verdict (``keep`` / ``delete`` / ``follow``
   for artifact tags, which live and die with the digest they are attached to).
2. :func:`plan_prune` -- reads the registry: resolves every tag, reads push times, walks the manifest graph
   (index children incl. attestation manifests, referrers from the API or the ``sha256-<hex>`` tag schema, cosign
   ``.sig``/``.att``/``.sbom`` tags) and computes the digests to delete: everything reachable from a tag to
   delete minus everything reachable from a tag that stays. A tag to delete whose digest must stay is left in
   place and reported as ``kept: digest shared with retained tag X`` (the distribution API deletes manifests,
   not tags: deleting that digest would take the retained tag with it).
3. :func:`apply_prune` -- deletes those manifests by digest, parents before children, so an interrupted run
   never leaves an index pointing at a deleted child.

Blobs are not deleted through the API; a registry frees their storage in its own garbage collection
(``registry garbage-collect`` for distribution).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from dockgen.errors import RegistryError
from dockgen.labels import PUSHED_AT_ANNOTATION
from dockgen.lifecycle.policy import RetentionPolicy, TagKind, classify_tag, envs_in_tags
from dockgen.registry import RegistryClient
from dockgen.registry import errors as E
from dockgen.registry.models import Manifest

__all__ = [
    "Action",
    "DeleteSupport",
    "ManifestGraph",
    "PlannedTag",
    "PrunePlan",
    "PruneResult",
    "TagDecision",
    "TagState",
    "apply_prune",
    "decide",
    "parse_time",
    "plan_from_graph",
    "plan_prune",
    "probe_delete",
    "read_pushed_at",
    "vendor_delete_hint",
]

Action = Literal["keep", "delete", "follow"]
AgeSource = Literal["annotation", "label", "created", "unknown"]


def parse_time(text: str) -> dt.datetime | None:
    """RFC 3339 / ISO 8601 (``2024-05-01T12:00:00Z``, fractional seconds allowed) to an aware UTC datetime."""
    value = text.strip()
    if not value:
        return None
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    if "." in value:  # Go writes nanoseconds; Python takes at most microseconds
        head, _, rest = value.partition(".")
        digits = "".join(c for c in rest if c.isdigit())
        tz = rest[len(digits) :]
        value = f"{head}.{digits[:6]}{tz}"
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC)


@dataclass(frozen=True)
class TagState:
    """What the registry says about one tag."""

    tag: str
    digest: str
    pushed_at: dt.datetime | None = None
    age_source: AgeSource = "unknown"


@dataclass(frozen=True)
class TagDecision:
    """The policy's verdict on one tag, before digest safety."""

    state: TagState
    kind: TagKind
    env: str
    action: Action
    reason: str

    @property
    def tag(self) -> str:
        return self.state.tag


def _age_days(state: TagState, now: dt.datetime) -> float | None:
    if state.pushed_at is None:
        return None
    return (now - state.pushed_at).total_seconds() / 86400.0


def decide(states: Sequence[TagState], policy: RetentionPolicy, now: dt.datetime) -> list[TagDecision]:
    """The policy's verdict for every tag (pure; order follows ``states``).

    Order of rules: artifact tags follow their subject; ``always_keep`` / ``keep_patterns`` keep; releases are
    ranked per env by version and the ``keep_last_releases`` highest distinct versions kept; aliases are
    delete candidates (digest safety keeps them while a kept tag shares their digest); every other kind is
    deleted when pushed more than ``max_age_days`` ago, and kept when its age is unknown.
    """
    policy = policy.with_envs(envs_in_tags(s.tag for s in states))
    classes = {s.tag: classify_tag(s.tag, policy) for s in states}
    named = {s.digest for s in states if classes[s.tag].kind not in ("content", "artifact")}
    # release ranks per env: distinct versions, highest first
    ranks: dict[str, int] = {}
    by_env: dict[str, list[tuple[tuple[tuple[int, ...], int], str]]] = {}
    for s in states:
        c = classes[s.tag]
        if c.kind == "release" and c.version is not None and not policy.is_pinned(s.tag):
            by_env.setdefault(c.env, []).append((c.version.stable_key(), s.tag))
    for items in by_env.values():
        keys = sorted({k for k, _ in items}, reverse=True)
        position = {k: i + 1 for i, k in enumerate(keys)}
        for k, tag in items:
            ranks[tag] = position[k]
    out: list[TagDecision] = []
    for s in states:
        c = classes[s.tag]
        env_note = f" in env {c.env!r}" if c.env else ""
        pinned = policy.is_pinned(s.tag)
        if c.kind == "artifact":
            action: Action = "follow"
            reason = "artifact tag: lives and dies with the digest it is attached to"
        elif pinned:
            action, reason = "keep", pinned
        elif c.kind == "release":
            rank = ranks[s.tag]
            n = policy.keep_last_releases
            if rank <= n:
                action, reason = "keep", f"release #{rank} of the {n} newest{env_note}"
            else:
                action, reason = "delete", f"release #{rank}{env_note}, older than the {n} newest"
        elif c.kind == "alias":
            action, reason = "delete", "moving tag: stays only while a retained tag shares its digest"
        elif c.kind == "content":
            action, reason = _content_verdict(s, s.digest in named, policy.max_age_days, now)
        else:
            age = _age_days(s, now)
            limit = policy.max_age_days
            if limit is None:
                action, reason = "keep", "no max_age_days"
            elif age is None:
                action, reason = "keep", "unknown age: never deleted by age"
            elif age > limit:
                action, reason = "delete", f"{c.kind} tag pushed {age:.0f} days ago (> {limit})"
            else:
                action, reason = "keep", f"{c.kind} tag pushed {age:.0f} days ago (<= {limit})"
        out.append(TagDecision(s, c.kind, c.env, action, reason))
    return out


IN_FLIGHT_DAYS = 1.0
"""An image tagged only with a content tag and pushed less than this ago is a publish in progress."""


def _content_verdict(
    state: TagState, tagged_otherwise: bool, max_age_days: int | None, now: dt.datetime
) -> tuple[Action, str]:
    """A ``content-*`` tag goes with its image's other tags; alone, it is a publish in progress (kept while
    fresh or of unknown push time) or the leftover of a failed one (deleted by age)."""
    if tagged_otherwise:
        return "delete", "content tag: stays only while a retained tag shares its digest"
    age = _age_days(state, now) if state.age_source in ("annotation", "label") else None
    if age is None:
        return "keep", "only a content tag, push time unknown: may be a publish in progress"
    if age <= IN_FLIGHT_DAYS:
        return "keep", f"only a content tag, pushed {age * 24:.0f} h ago: a publish in progress"
    if max_age_days is None or age <= max(max_age_days, IN_FLIGHT_DAYS):
        return "keep", f"only a content tag, pushed {age:.0f} days ago"
    return "delete", f"only a content tag, pushed {age:.0f} days ago (> {max_age_days}): a failed publish"


# ----------------------------------------------------------------------------------------- manifest graph


@dataclass
class ManifestGraph:
    """Edges between manifests of one repository: ``children[d]`` are the digests ``d`` keeps alive (index
    children, referrers, tag-schema indexes and cosign artifacts). ``missing`` are referenced but absent."""

    children: dict[str, list[str]] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)
    manifests: dict[str, Manifest] = field(default_factory=dict)

    def closure(self, roots: Iterable[str]) -> set[str]:
        seen: set[str] = set()
        todo = list(roots)
        while todo:
            d = todo.pop()
            if d in seen:
                continue
            seen.add(d)
            todo.extend(self.children.get(d, ()))
        return seen

    @classmethod
    def walk(
        cls,
        client: RegistryClient,
        repository: str,
        roots: Iterable[str],
        tags: Sequence[str],
        *,
        tag_digests: Mapping[str, str] | None = None,
    ) -> ManifestGraph:
        """Fetch every manifest reachable from ``roots`` once (same edges as
        :func:`dockgen.registry.reachable_digests`)."""
        g = cls()
        known = dict(tag_digests or {})
        todo = list(roots)
        while todo:
            d = todo.pop()
            if d in g.children or d in g.missing:
                continue
            try:
                m = client.get_manifest(repository, d)
            except E.NotFoundError:
                g.missing.add(d)
                continue
            g.manifests[d] = m
            kids = [c.digest for c in m.manifests]
            kids += [r.digest for r in client.referrers(repository, d, tags=tags)]
            for tag in client.referrer_tags(d, tags):
                digest = known.get(tag)
                if digest is None:
                    try:
                        digest = client.resolve(repository, tag)
                    except E.NotFoundError:
                        continue
                kids.append(digest)
            g.children[d] = list(dict.fromkeys(kids))
            todo.extend(g.children[d])
        return g


def _topological(doomed: set[str], graph: ManifestGraph) -> list[str]:
    """Parents before children (within ``doomed``); deterministic."""
    indegree = {d: 0 for d in doomed}
    for d in doomed:
        for c in graph.children.get(d, ()):
            if c in doomed and c != d:
                indegree[c] += 1
    ready = sorted(d for d, n in indegree.items() if n == 0)
    out: list[str] = []
    while ready:
        d = ready.pop(0)
        out.append(d)
        for c in sorted(set(graph.children.get(d, ()))):
            if c in indegree and c != d:
                indegree[c] -= 1
                if indegree[c] == 0:
                    ready.append(c)
    out += sorted(set(doomed) - set(out))  # cycles cannot happen with content addressing; be safe anyway
    return out


# ----------------------------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class PlannedTag:
    tag: str
    digest: str
    kind: TagKind
    env: str
    action: Literal["keep", "delete"]
    reason: str
    age_days: float | None
    age_source: AgeSource

    def to_json(self) -> dict[str, Any]:
        return {
            "tag": self.tag,
            "digest": self.digest,
            "kind": self.kind,
            "env": self.env or None,
            "action": self.action,
            "reason": self.reason,
            "age_days": None if self.age_days is None else round(self.age_days, 2),
            "age_source": self.age_source,
        }


@dataclass
class PrunePlan:
    """What a prune of one repository would do."""

    registry: str
    repository: str
    tags: list[PlannedTag]
    delete_digests: list[str]
    """Manifests to delete, parents first."""
    protected: set[str]
    """Every digest reachable from a tag that stays."""
    untagged_children: list[str] = field(default_factory=list)
    """Of ``delete_digests``, those no tag points at (index children, attestations, referrers)."""

    @property
    def deleted_tags(self) -> list[PlannedTag]:
        return [t for t in self.tags if t.action == "delete"]

    @property
    def kept_tags(self) -> list[PlannedTag]:
        return [t for t in self.tags if t.action == "keep"]

    def to_json(self) -> dict[str, Any]:
        return {
            "registry": self.registry,
            "repository": self.repository,
            "tags": [t.to_json() for t in self.tags],
            "delete_digests": self.delete_digests,
            "summary": {
                "tags": len(self.tags),
                "delete_tags": len(self.deleted_tags),
                "keep_tags": len(self.kept_tags),
                "delete_manifests": len(self.delete_digests),
            },
        }


def plan_from_graph(
    decisions: Sequence[TagDecision], graph: ManifestGraph, now: dt.datetime, registry: str, repository: str
) -> PrunePlan:
    """Digest safety over the policy's verdicts (pure given the graph).

    Roots that stay: kept tags, and artifact tags whose subject is not deleted. Doomed: the closure of the tags
    to delete minus the closure of the roots that stay, repeated until no artifact tag changes side.
    """
    by_tag = {d.tag: d for d in decisions}
    keep_roots = {d.tag for d in decisions if d.action == "keep"}
    delete_roots = {d.tag for d in decisions if d.action == "delete"}
    artifacts = [d for d in decisions if d.action == "follow"]
    while True:
        protected = graph.closure(by_tag[t].state.digest for t in keep_roots)
        candidates = graph.closure(by_tag[t].state.digest for t in delete_roots)
        doomed = candidates - protected
        changed = False
        for a in artifacts:
            if a.tag in keep_roots:
                continue
            subject = "sha256:" + a.tag[len("sha256-") :].split(".", 1)[0]
            if a.state.digest not in doomed and subject not in doomed:
                keep_roots.add(a.tag)  # attached to something that stays (or to nothing we delete)
                changed = True
        if not changed:
            break
    # which kept tag protects a digest (for the "shared" message): the first kept tag in listing order
    holder: dict[str, str] = {}
    for d in decisions:
        if d.tag in keep_roots and d.action != "follow":
            for digest in graph.closure([d.state.digest]):
                holder.setdefault(digest, d.tag)
    for d in decisions:
        if d.tag in keep_roots:
            for digest in graph.closure([d.state.digest]):
                holder.setdefault(digest, d.tag)
    tags: list[PlannedTag] = []
    for d in decisions:
        s = d.state
        age = _age_days(s, now)
        if d.action == "delete" and s.digest in protected:
            other = holder.get(s.digest, "?")
            reason = f"kept: digest shared with retained tag {other} ({d.reason})"
            tags.append(PlannedTag(s.tag, s.digest, d.kind, d.env, "keep", reason, age, s.age_source))
        elif d.action == "follow":
            if s.digest in doomed:
                reason = "artifact of a deleted image"
                tags.append(PlannedTag(s.tag, s.digest, d.kind, d.env, "delete", reason, age, s.age_source))
            else:
                keeper = holder.get(s.digest)
                reason = (
                    f"artifact of a retained image ({keeper})" if keeper else "artifact (subject not deleted)"
                )
                tags.append(PlannedTag(s.tag, s.digest, d.kind, d.env, "keep", reason, age, s.age_source))
        else:
            action: Literal["keep", "delete"] = "delete" if d.action == "delete" else "keep"
            tags.append(PlannedTag(s.tag, s.digest, d.kind, d.env, action, d.reason, age, s.age_source))
    tagged = {d.state.digest for d in decisions}
    order = _topological(doomed, graph)
    return PrunePlan(
        registry=registry,
        repository=repository,
        tags=tags,
        delete_digests=order,
        protected=protected,
        untagged_children=[d for d in order if d not in tagged],
    )


def _pushed_at_annotation(annotations: Mapping[str, str]) -> dt.datetime | None:
    """The push time from annotations. Also accepts ``<levels>:io.dockgen.pushed-at``: buildx 0.13 given
    ``--annotation manifest,index:KEY=VALUE`` stores that whole text as the key instead of using both levels."""
    for key, value in annotations.items():
        if key == PUSHED_AT_ANNOTATION or key.endswith(":" + PUSHED_AT_ANNOTATION):
            when = parse_time(value)
            if when is not None:
                return when
    return None


def read_pushed_at(
    client: RegistryClient, repository: str, manifest: Manifest
) -> tuple[dt.datetime | None, AgeSource]:
    """When an image was pushed: the ``io.dockgen.pushed-at`` annotation (index or manifest), else the same
    key as a config label, else the config's ``created``, else unknown."""
    image = manifest
    when = _pushed_at_annotation(manifest.annotations)
    if when is not None:
        return when, "annotation"
    if manifest.is_index:
        child = next(
            (c for c in manifest.manifests if not c.is_attestation and not c.is_unknown_platform), None
        )
        if child is None:
            return None, "unknown"
        try:
            image = client.get_manifest(repository, child.digest)
        except E.NotFoundError:
            return None, "unknown"
        when = _pushed_at_annotation(image.annotations)
        if when is not None:
            return when, "annotation"
    cfg = image.config
    if cfg is None or cfg.size > 4 * 1024 * 1024:
        return None, "unknown"
    try:
        data = json.loads(client.get_blob(repository, cfg.digest))
    except (E.NotFoundError, ValueError):
        return None, "unknown"
    if not isinstance(data, dict):
        return None, "unknown"
    config = data.get("config")
    labels = config.get("Labels") if isinstance(config, dict) else None
    if isinstance(labels, dict) and isinstance(labels.get(PUSHED_AT_ANNOTATION), str):
        when = parse_time(labels[PUSHED_AT_ANNOTATION])
        if when is not None:
            return when, "label"
    created = data.get("created")
    if isinstance(created, str):
        when = parse_time(created)
        if when is not None and when.year > 1970:  # SOURCE_DATE_EPOCH=0 builds say 1970: not an age
            return when, "created"
    return None, "unknown"


def plan_prune(
    client: RegistryClient,
    repository: str,
    policy: RetentionPolicy,
    *,
    now: dt.datetime | None = None,
    on_progress: Callable[[str], None] | None = None,
) -> PrunePlan:
    """Read the repository and plan a digest-safe prune (nothing is deleted)."""
    when = now or dt.datetime.now(tz=dt.UTC)
    try:
        tags = client.list_tags(repository)
    except E.RepositoryNotFoundError:
        tags = []
    if on_progress:
        on_progress(f"{client.registry}/{repository}: {len(tags)} tags")
    tag_digest: dict[str, str] = {}
    for t in tags:
        try:
            tag_digest[t] = client.resolve(repository, t)
        except E.NotFoundError:
            continue  # deleted meanwhile
    live = [t for t in tags if t in tag_digest]
    graph = ManifestGraph.walk(client, repository, set(tag_digest.values()), live, tag_digests=tag_digest)
    times: dict[str, tuple[dt.datetime | None, AgeSource]] = {}
    states: list[TagState] = []
    for t in live:
        d = tag_digest[t]
        if d not in times:
            m = graph.manifests.get(d)
            times[d] = read_pushed_at(client, repository, m) if m is not None else (None, "unknown")
        states.append(TagState(t, d, *times[d]))
    decisions = decide(states, policy, when)
    return plan_from_graph(decisions, graph, when, client.registry, repository)


@dataclass
class PruneResult:
    plan: PrunePlan
    deleted: list[str] = field(default_factory=list)
    already_gone: list[str] = field(default_factory=list)


def apply_prune(
    client: RegistryClient, plan: PrunePlan, *, on_progress: Callable[[str], None] | None = None
) -> PruneResult:
    """Delete the plan's manifests by digest, parents first. A registry refusing deletes raises
    :class:`UnsupportedError` naming its vendor API."""
    result = PruneResult(plan)
    for digest in plan.delete_digests:
        if digest in plan.protected:  # never: plan_from_graph excludes them; keep the guard anyway
            raise AssertionError(f"refusing to delete protected digest {digest}")
        try:
            client.delete_manifest(plan.repository, digest)
        except E.NotFoundError:
            result.already_gone.append(digest)
            continue
        except E.UnsupportedError as exc:
            raise E.UnsupportedError(
                f"{client.registry} refuses manifest deletes through the registry API ({exc.message})",
                hint=vendor_delete_hint(client.registry),
            ) from None
        result.deleted.append(digest)
        if on_progress:
            on_progress(f"deleted {plan.repository}@{digest}")
    return result


# ------------------------------------------------------------------------------------------ capability probe

_PROBE_DIGEST = "sha256:" + "0" * 63 + "1"


@dataclass(frozen=True)
class DeleteSupport:
    registry: str
    status: Literal["enabled", "refused", "denied", "unknown"]
    detail: str
    hint: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"registry": self.registry, "status": self.status, "detail": self.detail, "hint": self.hint}


def vendor_delete_hint(registry: str) -> str:
    """Where to delete images on registries whose distribution API refuses it."""
    host = registry.lower()
    if host in ("docker.io", "registry-1.docker.io", "index.docker.io"):
        return "Docker Hub deletes tags through its Hub API (hub.docker.com, DELETE /v2/repositories/<ns>/<repo>/tags/<tag>) or the web UI"
    if host == "ghcr.io":
        return "GHCR deletes package versions through the GitHub REST API (DELETE /user|orgs/<owner>/packages/container/<name>/versions/<id>) or actions/delete-package-versions"
    if host.endswith(".amazonaws.com"):
        return "ECR: use `aws ecr batch-delete-image`, or let ECR do it: `dockgen prune --export ecr` writes a lifecycle policy"
    if host.endswith("azurecr.io"):
        return "ACR: use `az acr repository delete` / `az acr run --cmd 'acr purge ...'`"
    if host.endswith("gcr.io") or host.endswith("pkg.dev"):
        return "Google Artifact Registry: use `gcloud artifacts docker images delete` or its cleanup policies"
    return (
        "for a distribution registry enable storage.delete.enabled (REGISTRY_STORAGE_DELETE_ENABLED=true); "
        "for Harbor use `dockgen prune --export harbor` (tag retention); otherwise use the vendor's API"
    )


def probe_delete(client: RegistryClient, repository: str) -> DeleteSupport:
    """Whether the registry accepts manifest deletes, without deleting anything: ``DELETE`` a digest that
    cannot exist and read the answer (404 unknown manifest: enabled; 405/UNSUPPORTED: refused)."""
    try:
        client.delete_manifest(repository, _PROBE_DIGEST)
    except E.NotFoundError:
        return DeleteSupport(client.registry, "enabled", "DELETE answered 404 for an unknown manifest")
    except E.UnsupportedError:
        return DeleteSupport(
            client.registry, "refused", "DELETE answered 405/UNSUPPORTED", vendor_delete_hint(client.registry)
        )
    except (E.DeniedError, E.UnauthorizedError) as exc:
        return DeleteSupport(client.registry, "denied", exc.message, exc.hint)
    except RegistryError as exc:
        return DeleteSupport(client.registry, "unknown", exc.message, vendor_delete_hint(client.registry))
    return DeleteSupport(client.registry, "enabled", "DELETE accepted")
