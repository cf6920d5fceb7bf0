"""Rule documentation: parse the fixed docstring sections, print ``dockgen rule``, generate the rule tables.

A rule's class docstring is Markdown: an optional summary paragraph, then ``## What it does``,
``## Why is this bad?``, ``## Example`` (a fenced ``dockerfile`` block that must trigger the rule),
``## Use instead`` (must not trigger; equals the fixed example when the rule has a fix) and ``## References``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from dockgen._record import field, record
from dockgen._static import TYPE_CHECKING
from dockgen.lint.rule import FixAvailability, Rule

if TYPE_CHECKING:  # the json and sarif formats link rule docs on the lint path: no typing at run time
    from typing import Any, Protocol

    class _Coded(Protocol):
        """Anything that names a rule code: a rule, its class, or the registry's ``RuleInfo`` of it."""

        @property
        def code(self) -> str: ...


#: Environment variable naming where the rule reference is published (``https://.../rules.md``); each rule
#: is linked as ``<url>#<code in lower case>``. Unset: the reference shipped with the package (a file: URL).
DOCS_URL_ENV = "DOCKGEN_DOCS_URL"

TABLE_START = "<!-- rules:start -->"
TABLE_END = "<!-- rules:end -->"

_SECTION_RE = re.compile(r"^##[ \t]+(.+?)[ \t]*$", re.MULTILINE)
_FENCE_RE = re.compile(
    r"^(?P<fence>```+|~~~+)[ \t]*(?P<lang>[\w+-]*)[^\n]*\n(?P<body>.*?)^(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)


@record(frozen=True)
class RuleDoc:
    """A rule's parsed documentation."""

    summary: str
    sections: dict[str, str] = field(default_factory=dict)
    text: str = ""

    def code_block(self, section: str) -> str | None:
        """The first fenced code block of ``section`` (its body, ending with a newline), or None."""
        body = self.sections.get(section)
        if body is None:
            return None
        m = _FENCE_RE.search(body)
        return m.group("body") if m else None

    @property
    def example(self) -> str | None:
        return self.code_block("Example")

    @property
    def use_instead(self) -> str | None:
        return self.code_block("Use instead")

    @property
    def short(self) -> str:
        """One sentence describing the rule (summary, else the first sentence of 'What it does')."""
        if self.summary:
            return _first_sentence(self.summary)
        return _first_sentence(self.sections.get("What it does", ""))


def _first_sentence(text: str) -> str:
    flat = " ".join(text.split())
    m = re.match(r"(.+?[.!?])(?:\s|$)", flat)
    return m.group(1) if m else flat


def parse_doc(rule: type[Rule] | Rule) -> RuleDoc:
    """Split a rule's docstring into its summary and ``## `` sections."""
    cls = rule if isinstance(rule, type) else type(rule)
    raw = cls.__dict__.get("__doc__") or ""
    import inspect  # only to read a docstring (dockgen rule, the docs tables, SARIF rule help)

    text = inspect.cleandoc(raw)
    matches = list(_SECTION_RE.finditer(text))
    summary = text[: matches[0].start()].strip() if matches else text.strip()
    sections: dict[str, str] = {}
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        sections[m.group(1).strip()] = text[m.end() : end].strip("\n")
    return RuleDoc(summary=summary, sections=sections, text=text)


def shipped_rules_doc() -> Path | None:
    """The rule reference that comes with dockgen: ``dockgen/docs/rules.md`` in an installed wheel,
    ``docs/rules.md`` next to the package in a checkout."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "docs" / "rules.md", package.parent / "docs" / "rules.md"):
        if candidate.is_file():
            return candidate
    return None


def rules_doc_url() -> str | None:
    """Where rule documentation links point: ``$DOCKGEN_DOCS_URL``, else the shipped reference's file URL."""
    configured = os.environ.get(DOCS_URL_ENV, "").strip()
    if configured:
        return configured
    shipped = shipped_rules_doc()
    return shipped.as_uri() if shipped else None


def rule_url(rule: _Coded | type[Rule]) -> str | None:
    """The documentation link of one rule (an anchor in the rule reference), None when there is none."""
    base = rules_doc_url()
    return f"{base.split('#', 1)[0]}#{rule.code.lower()}" if base else None


def rule_metadata(rule: Rule) -> dict[str, Any]:
    """JSON-ready description of a rule (``dockgen rules --format json`` / ``dockgen rule X --format json``)."""
    doc = parse_doc(rule)
    return {
        "code": rule.code,
        "name": rule.name,
        "severity": str(rule.severity),
        "enabled_by_default": rule.enabled_by_default,
        "fix_availability": str(rule.fix_availability),
        "equivalents": list(rule.equivalents),
        "options": list(rule.options_used),
        "message": rule.message,
        "summary": doc.short,
        "url": rule_url(rule),
        "sections": doc.sections,
        "example": doc.example,
        "use_instead": doc.use_instead,
    }


def rule_text(rule: Rule) -> str:
    """What ``dockgen rule DG001`` prints."""
    doc = parse_doc(rule)
    head = [
        f"{rule.code} {rule.name}",
        "",
        f"Severity:    {rule.severity}"
        + ("" if rule.enabled_by_default else " (opt-in: not enabled by default)"),
        f"Fix:         {_fix_text(rule)}",
        f"Equivalents: {', '.join(rule.equivalents) or '-'}",
    ]
    if rule.options_used:
        head.append(f"Options:     {', '.join(rule.options_used)}")
    head.append(f"Docs:        {rule_url(rule) or f'dockgen rule {rule.code}'}")
    return "\n".join(head) + "\n\n" + doc.text.strip() + "\n"


def _fix_text(rule: Rule) -> str:
    """``always``, ``sometimes`` or ``none`` (each fix says itself whether it is safe)."""
    return "none" if rule.fix_availability is FixAvailability.NEVER else str(rule.fix_availability)


def _fix_cell(rule: Rule) -> str:
    return "" if rule.fix_availability is FixAvailability.NEVER else str(rule.fix_availability)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def rules_table(rules: list[Rule]) -> str:
    """The Markdown table of every rule (README block and the top of docs/rules.md)."""
    lines = [
        "| Code | Name | Severity | Fix | Equivalents | What it flags |",
        "|---|---|---|---|---|---|",
    ]
    for r in sorted(rules, key=lambda r: r.code):
        sev = str(r.severity) + ("" if r.enabled_by_default else " (opt-in)")
        lines.append(
            f"| [{r.code}](docs/rules.md#{r.code.lower()}) | `{r.name}` | {sev} | {_fix_cell(r)} | "
            f"{_cell(', '.join(r.equivalents))} | {_cell(parse_doc(r).short)} |"
        )
    return "\n".join(lines) + "\n"


def rules_markdown(rules: list[Rule]) -> str:
    """The whole of docs/rules.md: the table and every rule's documentation."""
    table = rules_table(rules).replace("(docs/rules.md#", "(#")
    out = [
        "# dockgen rules",
        "",
        "<!-- Generated by scripts/gen_rule_table.py from the rules' docstrings; do not edit by hand. -->",
        "",
        f"{len(rules)} rules. Run `dockgen rule CODE` for one rule in the terminal, `dockgen rules` for the list.",
        "",
        table,
    ]
    for r in sorted(rules, key=lambda r: r.code):
        doc = parse_doc(r)
        out.append(f'<a id="{r.code.lower()}"></a>')
        out.append(f"## {r.code} `{r.name}`")
        out.append("")
        meta = f"Severity: **{r.severity}**"
        if not r.enabled_by_default:
            meta += " (opt-in)"
        meta += f" · Fix: **{_fix_text(r)}**"
        if r.equivalents:
            meta += " · Equivalents: " + ", ".join(f"`{e}`" for e in r.equivalents)
        if r.options_used:
            meta += " · Options: " + ", ".join(f"`{o}`" for o in r.options_used)
        out.append(meta)
        out.append("")
        if doc.summary:
            out.append(doc.summary)
            out.append("")
        for title, body in doc.sections.items():
            out.append(f"### {title}")
            out.append("")
            out.append(body.strip())
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def replace_block(text: str, block: str) -> str:
    """Replace what lies between the rule table markers in ``text`` (README) with ``block``."""
    start = text.find(TABLE_START)
    end = text.find(TABLE_END)
    if start < 0 or end < start:
        raise ValueError(f"markers {TABLE_START} / {TABLE_END} not found")
    return text[: start + len(TABLE_START)] + "\n" + block.rstrip("\n") + "\n" + text[end:]
