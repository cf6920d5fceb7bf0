"""Progress reporting for builds and pushes: a live view on a terminal, plain lines in CI, JSON events.

Every renderer gets the same events from many worker threads:

* ``state(image, status, detail)``: queued / building / pushing / tagging / done / cached / failed / skipped;
* ``log(image, line)``: one line of build output (``#5 [2/3] RUN ...``);
* ``note(text)``: a free-form message (retries, rollbacks).

:func:`make_reporter` picks one: ``json`` (one object per line), ``quiet`` (nothing but failures), ``tty``
(ANSI redraw of one line per image: name, status, current step, elapsed time) when the stream is a terminal
and ``CI`` is unset, otherwise ``plain`` (timestamped lines). No third-party dependency is needed for this.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TextIO

from dockgen.builders.secrets import Redactor

_STEP = re.compile(r"^#\d+ \[(?P<step>[^\]]+)\] (?P<what>.+)$")
ACTIVE = frozenset({"building", "pushing", "tagging", "checking"})


@dataclass
class ImageView:
    name: str
    status: str = "queued"
    detail: str = ""
    step: str = ""
    started: float | None = None
    ended: float | None = None

    def elapsed(self, now: float) -> float:
        if self.started is None:
            return 0.0
        return (self.ended or now) - self.started


@dataclass
class Reporter:
    """Base reporter: keeps per-image state; subclasses decide what to print."""

    stream: TextIO
    redactor: Redactor = field(default_factory=Redactor)
    images: dict[str, ImageView] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, names: Sequence[str]) -> None:
        with self.lock:
            for n in names:
                self.images.setdefault(n, ImageView(n))

    def state(self, image: str, status: str, detail: str = "") -> None:
        detail = self.redactor.redact(detail)
        with self.lock:
            view = self.images.setdefault(image, ImageView(image))
            now = time.monotonic()
            if status in ACTIVE and view.started is None:
                view.started = now
            if status not in ACTIVE and status != "queued":
                view.ended = now
            view.status, view.detail = status, detail
            self._on_state(view)

    def log(self, image: str, line: str) -> None:
        line = self.redactor.redact(line.rstrip("\n"))
        with self.lock:
            view = self.images.setdefault(image, ImageView(image))
            m = _STEP.match(line)
            if m:
                view.step = f"[{m.group('step')}] {m.group('what')}"[:80]
            self._on_log(view, line)

    def note(self, text: str, image: str | None = None) -> None:
        text = self.redactor.redact(text)
        with self.lock:
            self._on_note(text, image)

    def close(self) -> None:
        with self.lock:
            self._on_close()

    def interrupted(self, signal_name: str) -> None:
        """The run was stopped by a signal (the last event before the summary)."""
        self.note(f"interrupted by {signal_name}: builders ended, nothing more started")

    # hooks, called with the lock held
    def _on_state(self, view: ImageView) -> None: ...

    def _on_log(self, view: ImageView, line: str) -> None: ...

    def _on_note(self, text: str, image: str | None) -> None: ...

    def _on_close(self) -> None: ...


class QuietReporter(Reporter):
    def _on_state(self, view: ImageView) -> None:
        if view.status == "failed":
            self.stream.write(f"{view.name}: failed: {view.detail}\n")
            self.stream.flush()


class PlainReporter(Reporter):
    """Timestamped lines, one per event: what CI logs want."""

    def _emit(self, text: str) -> None:
        self.stream.write(f"{time.strftime('%H:%M:%S')} {text}\n")
        self.stream.flush()

    def _on_state(self, view: ImageView) -> None:
        extra = f": {view.detail}" if view.detail else ""
        took = f" ({view.elapsed(time.monotonic()):.1f}s)" if view.ended else ""
        self._emit(f"[{view.name}] {view.status}{extra}{took}")

    def _on_log(self, view: ImageView, line: str) -> None:
        self._emit(f"[{view.name}] {line}")

    def _on_note(self, text: str, image: str | None) -> None:
        self._emit(f"[{image}] {text}" if image else text)


class JsonReporter(Reporter):
    """One JSON object per line: ``{"time", "event", "image", ...}``."""

    def _emit(self, event: str, **data: object) -> None:
        self.stream.write(json.dumps({"time": round(time.time(), 3), "event": event, **data}) + "\n")
        self.stream.flush()

    def _on_state(self, view: ImageView) -> None:
        data: dict[str, object] = {"image": view.name, "status": view.status}
        if view.detail:
            data["detail"] = view.detail
        if view.ended is not None:
            data["elapsed"] = round(view.elapsed(time.monotonic()), 3)
        self._emit("state", **data)

    def _on_log(self, view: ImageView, line: str) -> None:
        self._emit("log", image=view.name, line=line)

    def _on_note(self, text: str, image: str | None) -> None:
        self._emit("note", image=image, text=text)

    def interrupted(self, signal_name: str) -> None:
        with self.lock:
            self._emit("interrupted", signal=signal_name)


class TtyReporter(Reporter):
    """A live table redrawn in place (ANSI cursor-up + clear-line), at most ~10 times a second."""

    _SYMBOL = {"done": "✔", "cached": "=", "failed": "✘", "skipped": "-", "queued": "·"}

    def __init__(self, stream: TextIO, redactor: Redactor | None = None) -> None:
        super().__init__(stream=stream, redactor=redactor or Redactor())
        self._drawn = 0
        self._last = 0.0
        self._stop = threading.Event()
        self._ticker = threading.Thread(target=self._tick, daemon=True)
        self._ticker.start()

    def _tick(self) -> None:
        while not self._stop.wait(0.5):
            with self.lock:
                self._draw(force=True)

    def _line(self, v: ImageView, now: float, width: int) -> str:
        sym = self._SYMBOL.get(v.status, "▸")
        what = v.detail if v.status not in ACTIVE or not v.step else v.step
        text = f" {sym} {v.name:<20} {v.status:<9} {v.elapsed(now):6.1f}s  {what}"
        return text[: width - 1]

    def _draw(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < 0.1:
            return
        self._last = now
        try:
            width = os.get_terminal_size(self.stream.fileno()).columns
        except (OSError, ValueError):
            width = 0
        if width <= 0:  # not a terminal, or one that reports no size (a fresh pty is 0x0)
            columns = os.environ.get("COLUMNS", "")
            width = int(columns) if columns.isdigit() and int(columns) > 0 else 120
        out = ["\x1b[1A\x1b[2K" * self._drawn, "\r"]
        for v in self.images.values():
            out.append("\x1b[2K" + self._line(v, now, width) + "\n")
        self._drawn = len(self.images)
        self.stream.write("".join(out))
        self.stream.flush()

    def _on_state(self, view: ImageView) -> None:
        self._draw(force=True)

    def _on_log(self, view: ImageView, line: str) -> None:
        self._draw()

    def _on_note(self, text: str, image: str | None) -> None:
        # print the note above the table, then redraw the table under it
        self.stream.write("\x1b[1A\x1b[2K" * self._drawn + "\r")
        self._drawn = 0
        self.stream.write((f"[{image}] " if image else "") + text + "\n")
        self._draw(force=True)

    def _on_close(self) -> None:
        self._stop.set()
        self._draw(force=True)


def make_reporter(stream: TextIO, mode: str = "auto", redactor: Redactor | None = None) -> Reporter:
    """``mode``: auto, tty, plain, json or quiet. ``auto`` is tty on a terminal without ``CI``, else plain."""
    redactor = redactor or Redactor()
    if mode == "auto":
        is_tty = hasattr(stream, "isatty") and stream.isatty()
        mode = "tty" if is_tty and not os.environ.get("CI") and os.environ.get("TERM") != "dumb" else "plain"
    if mode == "tty":
        return TtyReporter(stream, redactor)
    if mode == "json":
        return JsonReporter(stream=stream, redactor=redactor)
    if mode == "quiet":
        return QuietReporter(stream=stream, redactor=redactor)
    return PlainReporter(stream=stream, redactor=redactor)
