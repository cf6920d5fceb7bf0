"""Stage patterns: functions that return ready-made stages, so a ``build_images.py`` need not write them out.

:func:`builder_and_runtime` is the multi-stage split as a declaration: the builder installs the toolchain and
builds; the runtime stage starts again from a base image, installs the runtime libraries of the builder's
``-dev`` packages, and copies only the listed artifacts.
"""

from __future__ import annotations

from collections.abc import Sequence

from dockgen.errors import DeclarationError
from dockgen.models.image import Stage, Step
from dockgen.models.instructions import Copy
from dockgen.models.packages import Apt

__all__ = ["builder_and_runtime"]


def _apt_packages(steps: Sequence[Step]) -> list[str]:
    names: list[str] = []
    for step in steps:
        if isinstance(step, Apt):
            names.extend(step.packages if isinstance(step.packages, list) else list(step.packages))
    return names


def builder_and_runtime(
    base: str,
    *,
    build: Sequence[Step],
    artifacts: Sequence[str] | dict[str, str],
    runtime: Sequence[Step] = (),
    packages: Sequence[str] = (),
    runtime_base: str | None = None,
    workdir: str | None = None,
    user: str | None = None,
    name: str = "builder",
    libraries: bool = True,
) -> list[Stage]:
    """Two stages: ``name`` (FROM ``base``: the ``build`` steps) and the runtime stage (FROM ``runtime_base``,
    default ``base``).

    The runtime stage installs ``packages`` plus, with ``libraries`` (the default), the shared libraries the
    builder's ``Apt`` ``-dev`` packages stand for (``libssl-dev`` -> ``libssl3``; Debian 12 names), copies
    ``artifacts`` from the builder (a list of paths copied to the same place, or ``{source: destination}``),
    then runs the ``runtime`` steps (``Cmd``, ``Expose``, ``Env``, ...). ``workdir`` applies to both stages,
    ``user`` to the runtime stage.

    >>> stages = builder_and_runtime(
    ...     "debian:bookworm-slim",
    ...     build=[Apt(["gcc", "libc6-dev", "libssl-dev"]), Copy(".", "/src"),
    ...            Run("gcc -O2 -o /usr/local/bin/digest /src/digest.c -lcrypto")],
    ...     artifacts=["/usr/local/bin/digest"],
    ...     runtime=[Cmd(["digest"])],
    ... )
    """
    from dockgen.toolchain import runtime_libraries

    if not artifacts:
        raise DeclarationError(
            "builder_and_runtime: no artifacts", hint="list the paths the build installs, e.g. ['/usr/local']"
        )
    extra: list[str] = []
    if libraries:
        libs, unknown = runtime_libraries(_apt_packages(build))
        if unknown:
            raise DeclarationError(
                f"builder_and_runtime: the runtime library of {', '.join(unknown)} is not known",
                hint="name it in packages=[...] and pass libraries=False",
            )
        extra = [lib for lib in libs if lib not in packages]
    builder = Stage(name=name, base=base, workdir=workdir, steps=list(build))
    pairs = artifacts.items() if isinstance(artifacts, dict) else ((p, p) for p in artifacts)
    steps: list[Step] = []
    wanted = [*packages, *extra]
    if wanted:
        steps.append(Apt(packages=list(dict.fromkeys(wanted))))
    steps.extend(Copy.model_validate({"src": [src], "dest": dest, "from": builder}) for src, dest in pairs)
    steps.extend(runtime)
    final = Stage(base=runtime_base or base, workdir=workdir, user=user, steps=steps)
    return [builder, final]
