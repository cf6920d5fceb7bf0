"""The worker service: a loop doing periodic work, using the shared library from the base image."""

from __future__ import annotations

import os
import signal
import time

from greeting import greeting

running = True


def stop(signum: int, frame: object) -> None:
    global running
    running = False


def main() -> None:
    signal.signal(signal.SIGTERM, stop)
    interval = float(os.environ.get("WORK_INTERVAL", "5"))
    while running:
        print(greeting("worker"), flush=True)
        time.sleep(interval)


if __name__ == "__main__":
    main()
