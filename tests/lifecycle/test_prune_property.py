"""Property: on random tag histories in a real registry, ``dockgen prune --yes`` never breaks a retained tag.

Each example pushes a fresh repository to the local registry (127.0.0.1:5000): single-platform images and
indexes (linux/amd64 + linux/arm64 + an attestation manifest), tags sharing digests (including a tag on an
index child), cosign ``.sig`` tags and OCI tag-schema referrers; push times in the manifest annotation, the
config label, only the config ``created``, or nowhere. Then it runs ``dockgen prune REPO --yes`` in-process
with a random policy and checks, against a model built from what was pushed (not from the code under test):

* every tag the policy keeps still resolves to the same digest;
* every manifest reachable from a kept tag (children, attestations, signatures, referrers) is still fetchable;
* every manifest reachable only from deleted tags is gone, and so are those tags;
* a tag to delete whose digest a kept tag needs is still there and reported as shared;
* env groups named only by the tags (``latest-staging``, ``1-staging``, ``1.2-staging``, no ``--env``) keep
  their newest release when the policy keeps any;
* an image tagged only ``content-*`` and pushed less than a day ago (or at an unknown time) -- a publish in
  progress -- is never deleted.

The number of examples is bounded (``DOCKGEN_PRUNE_EXAMPLES``, default 15) to keep the suite fast.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockgen.cli import main
from dockgen.lifecycle import RetentionPolicy, TagState, decide
from dockgen.registry import RegistryClient
from dockgen.registry import errors as E
from tests.lifecycle.conftest import DATA
from tests.lifecycle.images import (
    Pushed,
    push_cosign_signature,
    push_image,
    push_index,
    push_tag_schema_referrer,
)
from tests.support.infra import PLAIN_REGISTRY, require_registry, unique_repo

pytestmark = [pytest.mark.registry]

NOW = dt.datetime(2025, 6, 1, 12, 0, 0, tzinfo=dt.UTC)
EXAMPLES = int(os.environ.get("DOCKGEN_PRUNE_EXAMPLES", "15"))


@dataclass
class ImageSpec:
    multi: bool
    age_days: int | None
    where: str  # annotation | label | created | none
    signed: bool
    referrer: bool
    tags: list[str] = field(default_factory=list)


def _tag_pool() -> st.SearchStrategy[str]:
    n = st.integers(0, 3)
    release = st.builds(lambda a, b, c: f"{a}.{b}.{c}", n, n, n)
    return st.one_of(
        release,
        release.map(lambda r: f"{r}-prod"),
        release.map(lambda r: f"{r}-staging"),  # an env the policy is not told about (no --env staging)
        st.builds(lambda a, b: f"{a}.{b}-staging", n, n),
        st.sampled_from(["latest-staging", "1-staging", "0-staging"]),
        st.sampled_from([f"content-{c * 32}" for c in "0abc"]),  # dockgen's content tags
        st.builds(lambda r, k: f"{r}-rc.{k}", release, st.integers(1, 3)),
        st.builds(lambda a, b: f"{a}.{b}", n, n),
        st.sampled_from(
            ["latest", "latest-prod", "main", "develop", "feature-a", "feature-b", "pr-7", "test"]
        ),
        st.sampled_from(["sha-0a1b2c3", "sha-deadbee", "sha-1234567", "42", "20250101", "build-9"]),
    )


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[ImageSpec], str | None, RetentionPolicy]:
    count = draw(st.integers(1, 5))
    images = [
        ImageSpec(
            multi=draw(st.booleans()),
            age_days=draw(st.one_of(st.none(), st.integers(0, 400))),
            where=draw(st.sampled_from(["annotation", "annotation", "label", "created", "none"])),
            signed=draw(st.booleans()),
            referrer=draw(st.booleans()),
        )
        for _ in range(count)
    ]
    tags = draw(st.lists(_tag_pool(), min_size=count, max_size=count + 5, unique=True))
    for i, tag in enumerate(
        tags
    ):  # every image gets one tag; the rest land on random images (shared digests)
        target = i if i < count else draw(st.integers(0, count - 1))
        images[target].tags.append(tag)
    multi = [i for i, im in enumerate(images) if im.multi]
    child_tag = draw(st.one_of(st.none(), st.sampled_from(["arm64-only", "child-pin"]))) if multi else None
    policy = RetentionPolicy(
        keep_last_releases=draw(st.integers(0, 3)),
        max_age_days=draw(st.sampled_from([None, 30, 90])),
        keep_patterns=draw(st.sampled_from([(), ("feature-*",), ("re:^pr-[0-9]+$",)])),
        always_keep=draw(st.sampled_from([(), ("latest",), ("main", "child-pin")])),
        envs=draw(st.sampled_from([(), ("prod",)])),
    )
    return images, child_tag, policy


def _upload(
    client: RegistryClient, repo: str, images: list[ImageSpec], child_tag: str | None
) -> tuple[dict[str, str], dict[str, set[str]], list[TagState]]:
    """Push the history; return tag -> digest, the model's edges, and the tag states the policy should see."""
    tag_digest: dict[str, str] = {}
    edges: dict[str, set[str]] = {}
    states: list[TagState] = []

    def merge(p: Pushed) -> None:
        for k, v in p.edges.items():
            edges.setdefault(k, set()).update(v)

    for im in images:
        when = None if im.age_days is None else NOW - dt.timedelta(days=im.age_days)
        if im.multi:
            where = "annotation" if im.where in ("annotation", "label") else "none"
            p = push_index(client, repo, pushed_at=when if where == "annotation" else None, tag=im.tags[0])
            source = "annotation" if where == "annotation" and when is not None else "unknown"
            known = when if source != "unknown" else None
        else:
            created = when if im.where == "created" else None
            p = push_image(
                client, repo, pushed_at=when if im.where in ("annotation", "label") else None,
                where=im.where, created=created, tag=im.tags[0],
            )  # fmt: skip
            has = when is not None and im.where != "none"
            source = ({"annotation": "annotation", "label": "label", "created": "created"}.get(im.where, "unknown")
                      if has else "unknown")  # fmt: skip
            known = when if has else None
        merge(p)
        for t in im.tags[1:]:
            client.tag(repo, p.digest, t)
        for t in im.tags:
            tag_digest[t] = p.digest
            states.append(TagState(t, p.digest, known, source))  # type: ignore[arg-type]
        if im.signed:
            s = push_cosign_signature(client, repo, p.digest)
            merge(s)
            tag_digest[p.digest.replace(":", "-") + ".sig"] = s.digest
        if im.referrer:
            r = push_tag_schema_referrer(client, repo, p.digest)
            merge(r)
            tag_digest[p.digest.replace(":", "-")] = r.digest
        if child_tag and im.multi and child_tag not in tag_digest:
            child = sorted(edges[p.digest])[0]
            client.tag(repo, child, child_tag)
            tag_digest[child_tag] = child
            m = client.get_manifest(repo, child)
            src = "annotation" if "io.dockgen.pushed-at" in m.annotations else "unknown"
            states.append(TagState(child_tag, child, known if src == "annotation" else None, src))  # type: ignore[arg-type]
    return tag_digest, edges, states


def _closure(edges: dict[str, set[str]], roots: set[str]) -> set[str]:
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        d = todo.pop()
        if d not in seen:
            seen.add(d)
            todo.extend(edges.get(d, ()))
    return seen


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
@given(history=histories())
def test_prune_never_breaks_a_retained_tag(
    history: tuple[list[ImageSpec], str | None, RetentionPolicy], capsys: pytest.CaptureFixture[str]
) -> None:
    require_registry(PLAIN_REGISTRY)
    images, child_tag, policy = history
    repo = unique_repo("prune-prop")
    with RegistryClient(PLAIN_REGISTRY) as client:
        tag_digest, edges, states = _upload(client, repo, images, child_tag)
        verdicts = {d.tag: d.action for d in decide(states, policy, NOW)}
        keep_tags = {t for t, a in verdicts.items() if a == "keep"}
        delete_tags = {t for t, a in verdicts.items() if a == "delete"}
        must_stay = _closure(edges, {tag_digest[t] for t in keep_tags})
        must_go = _closure(edges, {tag_digest[t] for t in delete_tags}) - must_stay

        argv = ["prune", f"{PLAIN_REGISTRY}/{repo}", "--yes", "--json", "--now", NOW.isoformat()]
        argv += ["--keep-last", str(policy.keep_last_releases)]
        argv += ["--max-age-days", "none" if policy.max_age_days is None else str(policy.max_age_days)]
        for p in policy.keep_patterns:
            argv += ["--keep", p]
        argv += ["--config", str(DATA / "defaults.toml"), "--no-always-keep"]
        for t in policy.always_keep:
            argv += ["--always-keep", t]
        for e in policy.envs:
            argv += ["--env", e]
        rc = main(argv=argv)
        out = capsys.readouterr()
        assert rc == 0, out.err
        report = json.loads(out.out)["repositories"][0]
        planned = {t["tag"]: t for t in report["tags"]}

        # the command saw the same tags and the same ages as the model
        for s in states:
            assert planned[s.tag]["age_source"] == s.age_source, s.tag
        remaining = set(client.list_tags(repo))
        for t in keep_tags:
            assert t in remaining, f"kept tag {t} is gone"
            assert client.resolve(repo, t) == tag_digest[t], f"kept tag {t} moved"
        for d in must_stay:
            client.get_manifest(repo, d)  # raises if a needed manifest was deleted
        for d in must_go:
            with pytest.raises(E.NotFoundError):
                client.get_manifest(repo, d)
        for t, d in tag_digest.items():
            if d in must_go:
                assert t not in remaining, f"tag {t} should be gone"
            if t in delete_tags and d in must_stay:
                assert t in remaining
                assert (
                    planned[t]["action"] == "keep"
                    and "digest shared with retained tag" in planned[t]["reason"]
                )
        assert set(report["delete_digests"]) == must_go

        # env groups the tags name themselves keep their newest release (rule written out, not decide())
        staging = {t: tag_digest[t] for t in tag_digest if t.endswith("-staging")}
        if policy.keep_last_releases >= 1 and any(
            re.fullmatch(r"(latest|[0-9]+|[0-9]+\.[0-9]+)-staging", t) for t in staging
        ):
            releases = [t for t in staging if re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+-staging", t)]
            if releases:
                top = max(releases, key=lambda t: tuple(int(x) for x in t[: -len("-staging")].split(".")))
                assert top in remaining and client.resolve(repo, top) == tag_digest[top], top
        # a publish in progress (only content tags, fresh or of unknown age) is never deleted
        for im in images:
            if all(t.startswith("content-") for t in im.tags):
                fresh = im.age_days is None or im.where in ("created", "none") or im.age_days <= 1
                if fresh:
                    client.get_manifest(repo, tag_digest[im.tags[0]])
                    assert set(im.tags) <= remaining, im.tags
