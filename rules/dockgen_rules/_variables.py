"""Variable references in instruction arguments."""

from __future__ import annotations

from dockgen._lazyre import lazy_compile

_NAME = lazy_compile(r"[A-Za-z_][A-Za-z0-9_]*")


def plain_references(text: str) -> list[str]:
    """Names referenced as ``$NAME``, ``${NAME}`` or ``${NAME:?msg}`` — the forms without a default value.

    Single-quoted text and escaped ``\\$`` are literal; ``${NAME:-x}`` / ``${NAME:+x}`` are not references
    (their inner words are scanned).
    """
    out: list[str] = []
    i, n = 0, len(text)
    in_single = False
    while i < n:
        c = text[i]
        if c == "\\" and not in_single:
            i += 2
            continue
        if c == "'":
            in_single = not in_single
        elif c == "$" and not in_single and i + 1 < n:
            if text[i + 1] == "{":
                m = _NAME.match(text, i + 2)
                if m is None:
                    i += 2
                    continue
                j = m.end()
                if j < n and text[j] == "}":
                    out.append(m.group(0))
                    i = j + 1
                    continue
                if text.startswith(":?", j) or text.startswith("?", j):
                    out.append(m.group(0))
                i = j
                continue
            m = _NAME.match(text, i + 1)
            if m is not None:
                out.append(m.group(0))
                i = m.end()
                continue
        i += 1
    return out
