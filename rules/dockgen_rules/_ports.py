"""EXPOSE words."""

from __future__ import annotations

from dockgen._lazyre import lazy_compile
from dockgen._record import record

_PORT_RE = lazy_compile(r"^(\d+)(?:-(\d+))?(?:/([A-Za-z]+))?$")


@record(frozen=True)
class PortSpec:
    """One ``EXPOSE`` word: ``first[-last][/proto]`` (mappings and IPs are not parsed here)."""

    first: int
    last: int
    protocol: str | None


def parse_port(word: str) -> PortSpec | None:
    """The port range of an EXPOSE word, or None for variables, mappings and malformed words."""
    m = _PORT_RE.match(word)
    if m is None:
        return None
    first = int(m.group(1))
    last = int(m.group(2)) if m.group(2) else first
    return PortSpec(first, last, m.group(3))
