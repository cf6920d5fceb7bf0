"""Tagging pushed content, all-or-nothing.

The content is already in every repository under its content tag (pushed by digest, in effect: the content
tag is an address, not a name users pull). :func:`publish_tags` then points each wanted tag at that digest
with one ``PUT`` of the very same manifest bytes, so every tag of every registry names the same digest. When
a ``PUT`` fails, :func:`rollback` undoes what this run changed: a tag that pointed elsewhere is put back;
a tag that is new is deleted on its own where the registry can, else it goes away with the manifest when
this run uploaded it and nothing else names it (``DELETE`` by digest, re-checked just before). A tag that
cannot be removed without touching someone else's release is named in the report instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from dockgen.builders.content_hash import CONTENT_TAG_PREFIX
from dockgen.builders.manifests import Manifest, ManifestStore
from dockgen.errors import RegistryError
from dockgen.registry.errors import RegistryConnectionError, UnsupportedError


@dataclass(frozen=True)
class TagChange:
    repository: str
    tag: str
    previous: str | None
    """Digest the tag named before this run (None: the tag is new)."""
    uncertain: bool = False
    """The ``PUT`` did not answer (timeout, dropped connection, interrupt): it may have been applied, now or
    later, so it is rolled back like an applied one and settled (checked again) afterwards."""


@dataclass
class TagPlan:
    repository: str
    digest: str
    tags: tuple[str, ...]
    uploaded: bool
    """True when this run put ``digest`` into ``repository`` (so deleting it removes only this run's work)."""


@dataclass
class PublishLog:
    changes: list[TagChange] = field(default_factory=list)
    unchanged: list[tuple[str, str]] = field(default_factory=list)


def publish_tags(
    store: ManifestStore,
    plans: Sequence[TagPlan],
    log: PublishLog,
    note: Callable[[str], None] = lambda _m: None,
) -> None:
    """Point every tag of every plan at its digest. On error the log holds what was changed so far."""
    manifests: dict[tuple[str, str], Manifest] = {}
    for plan in plans:
        for tag in plan.tags:
            current = store.head(plan.repository, tag)
            if current == plan.digest:
                log.unchanged.append((plan.repository, tag))
                continue
            key = (plan.repository, plan.digest)
            if key not in manifests:
                manifests[key] = store.get(plan.repository, plan.digest)
            try:
                store.put(plan.repository, tag, manifests[key])
            except RegistryError as exc:
                if isinstance(exc, RegistryConnectionError):  # no answer: maybe applied
                    log.changes.append(TagChange(plan.repository, tag, current, uncertain=True))
                raise
            except BaseException:  # interrupted mid-request: maybe applied
                log.changes.append(TagChange(plan.repository, tag, current, uncertain=True))
                raise
            log.changes.append(TagChange(plan.repository, tag, current))


def rollback(
    store: ManifestStore,
    plans: Sequence[TagPlan],
    log: PublishLog,
    *,
    settle: float = 0.0,
    sleep: Callable[[float], None] = time.sleep,
) -> list[str]:
    """Undo ``log.changes``; return human-readable lines saying what was undone and what could not be.

    Never removes what another run may rely on: a tag this run created is deleted on its own where the
    registry can (OCI distribution 1.1); where it deletes by digest only, the manifest is deleted only when
    this run uploaded it and, re-checked just before, no tag other than this run's new ones and content tags
    names it (a concurrent publish of the same content keeps its release; the extra tags are reported).
    """
    lines: list[str] = []
    uploaded = {(p.repository, p.digest) for p in plans if p.uploaded}
    digest_of = {p.repository: p.digest for p in plans}
    by_digest: dict[tuple[str, str], list[str]] = {}
    for change in reversed(log.changes):
        ref = f"{change.repository}:{change.tag}"
        try:
            if change.previous is not None:
                store.put(change.repository, change.tag, store.get(change.repository, change.previous))
                lines.append(f"restored {ref} to {change.previous[:19]}")
                continue
            try:
                store.delete_tag(change.repository, change.tag)
            except UnsupportedError:
                key = (change.repository, digest_of.get(change.repository, ""))
                by_digest.setdefault(key, []).append(change.tag)
            else:
                lines.append(f"removed {ref}")
        except RegistryError as exc:
            lines.append(f"could NOT roll back {ref}: {exc.message}")
    for (repository, digest), tags in by_digest.items():
        refs = ", ".join(f"{repository}:{t}" for t in tags)
        if (repository, digest) not in uploaded:
            lines.append(
                f"could NOT remove {refs}: the registry cannot delete a single tag and the image existed "
                "before this run; delete the tags by hand"
            )
            continue
        try:
            others = _other_tags(store, repository, digest, set(tags))
            if others:
                lines.append(
                    f"left {refs} in place: the same image is also tagged {', '.join(others)} "
                    "(another publish), so it was not deleted"
                )
                continue
            store.delete(repository, digest)
            lines.append(f"removed {refs} (with the manifest this run uploaded)")
        except RegistryError as exc:
            lines.append(f"could NOT remove {refs}: {exc.message}")
    uncertain = [c for c in log.changes if c.uncertain]
    if uncertain:
        ours = {(c.repository, c.tag) for c in log.changes if c.previous is None}
        lines += _settle(store, uncertain, digest_of, uploaded, ours, settle, sleep)
    return lines


def _settle(
    store: ManifestStore,
    changes: Sequence[TagChange],
    digest_of: dict[str, str],
    uploaded: set[tuple[str, str]],
    new_tags: set[tuple[str, str]],
    settle: float,
    sleep: Callable[[float], None],
) -> list[str]:
    """A ``PUT`` that never answered may still land after the rollback: wait ``settle`` seconds (the
    registry timeout), look again, and undo any that landed meanwhile."""
    lines: list[str] = []
    if settle > 0:
        sleep(settle)
    for change in changes:
        ref = f"{change.repository}:{change.tag}"
        ours = digest_of.get(change.repository)
        try:
            now = store.head(change.repository, change.tag)
            if ours is None or now != ours or now == change.previous:
                lines.append(f"settled {ref}: the unanswered PUT did not stay applied")
                continue
            if change.previous is not None:
                store.put(change.repository, change.tag, store.get(change.repository, change.previous))
                lines.append(
                    f"settled {ref}: the unanswered PUT landed late; restored to {change.previous[:19]}"
                )
                continue
            try:
                store.delete_tag(change.repository, change.tag)
                lines.append(f"settled {ref}: the unanswered PUT landed late; removed it")
                continue
            except UnsupportedError:
                pass
            mine = {t for r, t in new_tags if r == change.repository}
            others = _other_tags(store, change.repository, ours, mine)
            if (change.repository, ours) in uploaded and not others:
                store.delete(change.repository, ours)
                lines.append(f"settled {ref}: the unanswered PUT landed late; removed it with the manifest")
            else:
                lines.append(
                    f"could NOT settle {ref}: the unanswered PUT landed late and the registry cannot delete "
                    "a single tag; delete it by hand"
                )
        except RegistryError as exc:
            lines.append(f"could NOT settle {ref}: {exc.message}")
    return lines


def _other_tags(store: ManifestStore, repository: str, digest: str, ours: set[str]) -> list[str]:
    """Tags of ``repository`` naming ``digest`` besides ``ours`` and content tags (read just now)."""
    found: list[str] = []
    for tag in sorted(store.tags(repository)):
        if tag in ours or tag.startswith(CONTENT_TAG_PREFIX):
            continue
        if store.head(repository, tag) == digest:
            found.append(tag)
    return found
