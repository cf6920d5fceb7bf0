"""Tagging pushed content, all-or-nothing.

The content is already in every repository under its content tag (pushed by digest, in effect: the content
tag is an address, not a name users pull). :func:`publish_tags` then points each wanted tag at that digest
with one ``PUT`` of the very same manifest bytes, so every tag of every registry names the same digest. When
a ``PUT`` fails, :func:`rollback` undoes what this run changed: a tag that pointed elsewhere is put back;
a tag that is new goes away with the manifest when this run uploaded it (``DELETE`` by digest). A registry
cannot delete one tag of a manifest that existed before, so such a tag is named in the report instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from dockgen.builders.manifests import Manifest, ManifestStore
from dockgen.errors import RegistryError


@dataclass(frozen=True)
class TagChange:
    repository: str
    tag: str
    previous: str | None
    """Digest the tag named before this run (None: the tag is new)."""


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
            store.put(plan.repository, tag, manifests[key])
            log.changes.append(TagChange(plan.repository, tag, current))


def rollback(store: ManifestStore, plans: Sequence[TagPlan], log: PublishLog) -> list[str]:
    """Undo ``log.changes``; return human-readable lines saying what was undone and what could not be."""
    lines: list[str] = []
    uploaded = {(p.repository, p.digest) for p in plans if p.uploaded}
    digest_of = {p.repository: p.digest for p in plans}
    deleted: set[tuple[str, str]] = set()
    for change in reversed(log.changes):
        ref = f"{change.repository}:{change.tag}"
        try:
            if change.previous is not None:
                store.put(change.repository, change.tag, store.get(change.repository, change.previous))
                lines.append(f"restored {ref} to {change.previous[:19]}")
                continue
            key = (change.repository, digest_of.get(change.repository, ""))
            if key in uploaded:
                if key not in deleted:
                    store.delete(change.repository, key[1])
                    deleted.add(key)
                lines.append(f"removed {ref} (with the manifest this run uploaded)")
            else:
                lines.append(
                    f"could NOT remove {ref}: the registry cannot delete a single tag; delete it by hand"
                )
        except RegistryError as exc:
            lines.append(f"could NOT roll back {ref}: {exc.message}")
    return lines
