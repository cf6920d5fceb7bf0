"""Linting work grows linearly with the number of instructions.

Stage lookups (``stage_of``), the SHELL in effect (``posix_shell``, ``stage_shell``) and the ENV/ARG values
before an instruction (``env_before``) used to scan the stage on every call, so a 20,000-instruction file took
45 s. The work is counted, not timed: the number of Python function calls the profiler sees for a file of
``n`` and of ``4n`` instructions (linear: 4x; the quadratic scans gave well over 10x).
"""

from __future__ import annotations

import cProfile
import pstats
import uuid

from dockgen.lint.engine import Linter


def _dockerfile(n: int, salt: str) -> str:
    lines = ["FROM debian:bookworm-slim AS base", 'SHELL ["/bin/bash", "-c"]']
    kinds = (
        "RUN echo {i} {salt} | tee /tmp/x{i}",
        "ENV V{i}=x",
        "COPY a{i} /app/",
        "ARG A{i}=1",
        "RUN cd /tmp && wget https://example.com/{salt}/{i}",
        "LABEL l{i}=$V1",
    )
    for i in range(n):
        lines.append(kinds[i % len(kinds)].format(i=i, salt=salt))
    lines += ["FROM base", "RUN echo done", "USER 10001"]
    return "\n".join(lines) + "\n"


def _calls(linter: Linter, text: str) -> int:
    profile = cProfile.Profile()
    profile.enable()
    result = linter.lint_text(text, "Dockerfile")
    profile.disable()
    assert result.findings and not result.parse_error
    return pstats.Stats(profile).total_calls  # type: ignore[attr-defined,no-any-return]


def test_lint_work_is_linear_in_instructions() -> None:
    linter = Linter()
    linter.lint_text("FROM debian:bookworm-slim\nRUN true\n", "Dockerfile")  # rules loaded, caches warm
    small = _calls(linter, _dockerfile(1000, uuid.uuid4().hex))
    large = _calls(linter, _dockerfile(4000, uuid.uuid4().hex))
    assert large / small < 5, f"{large} calls for 4000 instructions vs {small} for 1000"
