"""``python -m dockgen.lint [PATHS...]``: the ``dockgen lint`` command alone, without loading every other command.

Same options, output and exit codes as ``dockgen lint``; it starts faster because it imports only the lint
engine (the pre-commit hook uses it).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path


def main(argv: Sequence[str] | None = None) -> int:
    from dockgen.cli import DEFAULT_BUILD_FILE, Context, _Parser, guarded
    from dockgen.commands import lint

    def run() -> int:
        parser = _Parser(prog="dockgen lint", description=lint.HELP)
        parser.add_argument(
            "-f", "--file", default=os.environ.get("DOCKGEN_FILE", DEFAULT_BUILD_FILE), help="build file"
        )
        parser.add_argument("--no-color", action="store_true", help="never colour the output")
        lint.configure(parser)
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
        if args.no_color:
            os.environ["NO_COLOR"] = "1"
        return lint.run(args, Context(build_file=Path(args.file)))

    return guarded(run)


if __name__ == "__main__":
    raise SystemExit(main())
