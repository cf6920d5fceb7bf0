"""Highlights a snippet with the vendored Pygments source release and prints token statistics."""

import collections

from pygments.lexers import PythonLexer

SNIPPET = "def add(a, b):\n    return a + b  # sum\n"
counts = collections.Counter(
    str(tok).split(".")[1] if "." in str(tok) else str(tok) for tok, _ in PythonLexer().get_tokens(SNIPPET)
)
for kind, n in sorted(counts.items()):
    print(kind, n)
