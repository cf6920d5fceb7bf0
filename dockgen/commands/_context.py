"""What every command gets: the build file, the images it declares (loaded on first use) and the streams.

Kept apart from :mod:`dockgen.cli` so that command modules depend on this small module and the CLI on them,
never the other way round.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from dockgen._record import field, record
from dockgen._static import TYPE_CHECKING
from dockgen.errors import DeclarationError, DockgenError, UsageError

if TYPE_CHECKING:  # the models (pydantic) load only when a command asks for the images
    from typing import Protocol, TextIO

    from dockgen.models import Image

    class CommandModule(Protocol):
        """What a module of ``dockgen.commands`` provides (a name for type checkers only)."""

        NAME: str
        HELP: str

        def configure(self, parser: argparse.ArgumentParser) -> None: ...

        def run(self, args: argparse.Namespace, ctx: Context) -> int: ...


__all__ = ["DEFAULT_BUILD_FILE", "Context", "load_build_file"]

DEFAULT_BUILD_FILE = "build_images.py"


class _Collected(BaseException):
    """Raised inside ``dockgen.main(images)`` while the CLI is loading a build file."""

    def __init__(self, images: Sequence[object]) -> None:
        super().__init__()
        self.images = list(images)


_collecting: list[bool] = []


@record
class Context:
    """What every command gets: the declared images (loaded on first use) and the streams."""

    build_file: Path
    given_images: list[object] | None = None
    """What ``dockgen.main(images)`` was given (not validated yet); None: read :attr:`build_file`."""
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    _images: list[Image] | None = None

    def images(self) -> list[Image]:
        """The images declared in the build file, validated. Raises DockgenError when there are none."""
        if self._images is None:
            raw = self.given_images if self.given_images is not None else load_build_file(self.build_file)
            self._images = _validate_images(raw, str(self.build_file))
        return self._images

    @property
    def project_dir(self) -> Path:
        return self.build_file.resolve().parent


def _validate_images(raw: Sequence[object], where: str) -> list[Image]:
    from dockgen.models import validate_images

    return list(validate_images(raw, source=where))


def load_build_file(path: Path) -> list[object]:
    """Run a ``build_images.py`` and return the images it declares.

    The file either calls ``dockgen.main(images)`` (usually under ``if __name__ == "__main__":``) or defines a
    module-level ``images`` (or ``IMAGES``) list.
    """
    if not path.is_file():
        raise UsageError(
            f"{path}: no build file here",
            hint=f"create {DEFAULT_BUILD_FILE} declaring your images (see README), or pass -f/--file PATH",
        )
    _collecting.append(True)
    old_path = list(sys.path)
    old_cwd = os.getcwd()  # a build file that calls os.chdir must not move where dockgen reads and writes
    sys.path.insert(0, str(path.resolve().parent))
    import runpy

    try:
        namespace = runpy.run_path(str(path), run_name="__main__")
    except _Collected as collected:
        return collected.images
    except DockgenError:
        raise
    except SystemExit as exc:
        raise DeclarationError(_exit_message(path, exc.code)) from None
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # the user's own code failed: show where, not our stack
        import traceback

        tb = traceback.extract_tb(exc.__traceback__)
        frames = [f for f in tb if Path(f.filename).resolve() == path.resolve()]
        loc = f"{path}:{frames[-1].lineno}" if frames else str(path)
        raise DeclarationError(
            f"{loc}: {type(exc).__name__}: {exc}",
            hint="fix the error in your build file; run it with python to see the full traceback",
        ) from None
    finally:
        _collecting.pop()
        sys.path[:] = old_path
        os.chdir(old_cwd)
    for name in ("images", "IMAGES"):
        if name in namespace:
            value = namespace[name]
            return list(value) if isinstance(value, list | tuple) else [value]
    raise DeclarationError(
        f"{path}: declares no images",
        hint="end the file with `dockgen.main(images)` or define a module-level `images = [...]` list",
    )


def _exit_message(path: Path, code: object) -> str:
    """What ``sys.exit(code)`` in a build file means, said before "before declaring images"."""
    if isinstance(code, str):  # sys.exit("message") prints the message and exits 1
        return f"{path}: exited before declaring images: {code}"
    if code is None or code == 0:
        return f"{path}: exited (status 0) before declaring images"
    return f"{path}: exited with status {code} before declaring images"
