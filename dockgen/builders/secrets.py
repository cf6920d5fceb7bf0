"""Keeping secret values out of every line dockgen prints.

A :class:`Redactor` knows the values of the build secrets (files and environment variables) and registry
passwords of this run and replaces them with ``***`` in logs, events and error messages.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from dockgen.builders.spec import SecretSpec

MASK = "***"


@dataclass
class Redactor:
    values: set[str] = field(default_factory=set)

    def add(self, value: str | None) -> None:
        if value and len(value.strip()) >= 4:
            self.values.add(value)
            stripped = value.strip()
            if stripped != value:
                self.values.add(stripped)
            for line in stripped.splitlines():
                if len(line.strip()) >= 4:
                    self.values.add(line.strip())

    def add_secrets(self, secrets: Iterable[SecretSpec]) -> None:
        for s in secrets:
            if s.env is not None:
                self.add(os.environ.get(s.env))
            elif s.src is not None:
                with contextlib.suppress(OSError):
                    self.add(s.src.expanduser().read_text(encoding="utf-8", errors="replace"))

    def redact(self, text: str) -> str:
        for value in sorted(self.values, key=len, reverse=True):
            if value in text:
                text = text.replace(value, MASK)
        return text
