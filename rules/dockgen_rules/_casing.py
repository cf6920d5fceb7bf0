"""Instruction keyword casing."""

from __future__ import annotations


def recased(original: str, keyword: str) -> str:
    """``keyword`` written in the casing of ``original`` (``add`` -> ``copy``)."""
    if original and original == original.lower():
        return keyword.lower()
    return keyword.upper()
