"""Code shared by every service of the monorepo; the base image puts it on PYTHONPATH."""

from __future__ import annotations


def greeting(service: str) -> str:
    return f"hello from {service} (monorepo)"
