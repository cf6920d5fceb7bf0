"""The current time, in one place: UTC now, or ``$SOURCE_DATE_EPOCH`` when it is set (reproducible builds).

Everything that stamps a tag or a label with a time asks :func:`now`, so ``dockgen tags`` and ``dockgen build``
agree on the moment for the same environment.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from dockgen.errors import UsageError

__all__ = ["now"]


def now() -> datetime:
    """The current UTC time, or ``$SOURCE_DATE_EPOCH`` (seconds since the epoch) when set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        if not epoch.isdigit():
            raise UsageError(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds", hint="unset it or fix it"
            )
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC)
