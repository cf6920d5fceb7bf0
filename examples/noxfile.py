"""nox sessions for the examples, using dockgen's nox helpers.

cd examples
nox -s images          # render --check and lint every example
nox -s plan            # what `build --push` would do for the monorepo
"""

import nox

from dockgen.integrations import nox as dockgen_nox

EXAMPLES = ["node-app", "python-web", "go-service", "monorepo"]


@nox.session(python=False)
def images(session: nox.Session) -> None:
    for example in EXAMPLES:
        dockgen_nox.render_check(session, file=f"{example}/build_images.py")
        dockgen_nox.lint(session, file=f"{example}/build_images.py")


@nox.session(python=False)
def plan(session: nox.Session) -> None:
    dockgen_nox.plan(session, version="1.0.0", file="monorepo/build_images.py")
