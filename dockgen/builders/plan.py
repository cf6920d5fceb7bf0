"""``dockgen plan``: the whole run computed, nothing executed."""

from __future__ import annotations

import io
from dataclasses import dataclass, field, replace

from dockgen.builders.content_hash import content_tag
from dockgen.builders.runner import BuildOptions, Runner, _Built
from dockgen.builders.spec import BuildSpec
from dockgen.errors import DockgenError
from dockgen.reference import split_reference


@dataclass
class PlanStep:
    name: str
    wave: int
    depends_on: tuple[str, ...]
    references: tuple[str, ...]
    content_hash: str
    action: str
    """build / build+push / skip (content already pushed) / skip (built locally)"""
    reason: str
    labels: dict[str, str] = field(default_factory=dict)


@dataclass
class Plan:
    specs: list[BuildSpec]
    steps: list[PlanStep]
    push: bool
    jobs: int
    source_date_epoch: int | None

    def steps_specs(self) -> list[BuildSpec]:
        by = {s.name: s for s in self.steps}
        return [replace(s, labels=by[s.name].labels) for s in self.specs]

    def to_json(self) -> dict[str, object]:
        return {
            "push": self.push,
            "jobs": self.jobs,
            "source_date_epoch": self.source_date_epoch,
            "steps": [
                {
                    "image": s.name,
                    "wave": s.wave,
                    "depends_on": list(s.depends_on),
                    "references": list(s.references),
                    "content_hash": s.content_hash,
                    "content_tag": content_tag(s.content_hash),
                    "action": s.action,
                    "reason": s.reason,
                }
                for s in self.steps
            ],
        }


def make_plan(specs: list[BuildSpec], options: BuildOptions, *, offline: bool = False) -> Plan:
    runner = Runner(specs, replace(options, progress="quiet"), io.StringIO())
    waves: dict[str, int] = {}
    steps: list[PlanStep] = []
    for name in runner.order:
        spec = runner.by_name[name]
        waves[name] = 1 + max((waves[d] for d in spec.depends_on), default=0)
        labels, h, _pins = runner.prepare(spec)
        ctag = content_tag(h)
        existing: str | None = None
        dep_rebuilt = any(s.action.startswith("build") for s in steps if s.name in spec.depends_on)
        if not options.no_skip and not offline:
            try:
                existing = (
                    runner._find_existing(spec, ctag) if options.push else runner._find_local(spec, ctag)
                )
            except DockgenError:
                existing = None
        if existing:
            action = "skip (content already pushed)" if options.push else "skip (built locally)"
            reason = f"{ctag} -> {existing[:19]}"
        else:
            action = "build+push" if options.push else "build"
            reason = (
                "--no-skip"
                if options.no_skip
                else "dependency rebuilt"
                if dep_rebuilt
                else f"no image with {ctag}"
            )
        runner.built[name] = _Built(spec, h, ctag, existing, pushed=bool(existing) and options.push)
        steps.append(PlanStep(name, waves[name], spec.depends_on, spec.references, h, action, reason, labels))
    return Plan(runner.specs, steps, options.push, options.jobs, runner.git.commit_time)


def render_plan(plan: Plan) -> str:
    lines = [
        f"plan: {len(plan.steps)} image(s), up to {plan.jobs} in parallel, {'push' if plan.push else 'no push'}"
    ]
    for wave in sorted({s.wave for s in plan.steps}):
        lines.append(f"wave {wave}:")
        for s in (x for x in plan.steps if x.wave == wave):
            after = f" (after {', '.join(s.depends_on)})" if s.depends_on else ""
            lines.append(f"  {s.name}{after}: {s.action} — {s.reason}")
            for ref in s.references:
                repo, tag = split_reference(ref)
                lines.append(f"    {'push' if plan.push else 'tag '} {repo}:{tag}")
    lines.append("nothing was built or pushed (plan only)")
    return "\n".join(lines)
