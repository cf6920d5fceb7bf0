"""Image lifecycle after the push: digest-safe retention (``dockgen prune``) and policy export.

::

    from dockgen.lifecycle import RetentionPolicy, plan_prune, apply_prune
    from dockgen.registry import RegistryClient

    policy = RetentionPolicy(keep_last_releases=5, max_age_days=90, envs=("prod",))
    with RegistryClient("registry.example.com") as client:
        plan = plan_prune(client, "team/app", policy)      # nothing deleted yet
        apply_prune(client, plan)

See docs/lifecycle.md.
"""

from __future__ import annotations

from dockgen.lifecycle.export import Export, to_ecr, to_harbor
from dockgen.lifecycle.policy import (
    TAG_KINDS,
    RetentionPolicy,
    TagClass,
    classify_tag,
    find_policy_config,
    load_policy,
    policy_from_table,
)
from dockgen.lifecycle.retention import (
    DeleteSupport,
    ManifestGraph,
    PlannedTag,
    PrunePlan,
    PruneResult,
    TagDecision,
    TagState,
    apply_prune,
    decide,
    plan_from_graph,
    plan_prune,
    probe_delete,
    read_pushed_at,
)

__all__ = [
    "TAG_KINDS",
    "DeleteSupport",
    "Export",
    "ManifestGraph",
    "PlannedTag",
    "PrunePlan",
    "PruneResult",
    "RetentionPolicy",
    "TagClass",
    "TagDecision",
    "TagState",
    "apply_prune",
    "classify_tag",
    "decide",
    "find_policy_config",
    "load_policy",
    "plan_from_graph",
    "plan_prune",
    "policy_from_table",
    "probe_delete",
    "read_pushed_at",
    "to_ecr",
    "to_harbor",
]
