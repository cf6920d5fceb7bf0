"""DG017: compilers, build tools or -dev packages installed in the final image."""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockgen.ir import Instruction, Stage
from dockgen.lint.rule import Finding, LintContext, Rule, Severity
from dockgen.shell import VALUE_OPTIONS, Command, lineage, manager_subcommand, operands, run_commands

TOOLCHAIN: frozenset[str] = frozenset(
    {
        "build-essential", "build-base", "alpine-sdk", "gcc", "g++", "gcc-c++", "clang", "make", "cmake",
        "autoconf", "automake", "libtool", "gfortran", "golang", "golang-go", "go", "rust", "rustc", "cargo",
        "@development tools", "development tools", "@development-tools",
    }
)  # fmt: skip
_VERSIONED = re.compile(r"^(?:gcc|g\+\+|clang|golang)-[0-9.]+(?:-go)?$")
_INSTALL = frozenset({"install", "add", "groupinstall"})
_REMOVE = frozenset({"purge", "remove", "del", "erase", "autoremove", "groupremove"})
_BUILD_IMAGES = frozenset({"golang", "rust", "gcc", "maven", "gradle", "buildpack-deps"})


def _package_name(word: str) -> str:
    name = re.split(r"[=<>~]", word, maxsplit=1)[0]
    return name.split(":", 1)[0].lower()


def is_toolchain(package: str) -> bool:
    name = _package_name(package)
    return (
        name in TOOLCHAIN
        or bool(_VERSIONED.match(name))
        or name.endswith(("-dev", "-devel"))
        or (name.startswith("lib") and name.endswith("-headers"))
    )


def _installed_toolchain(cmds: tuple[Command, ...]) -> list[str]:
    installed: list[str] = []
    removed: set[str] = set()
    virtual: dict[str, list[str]] = {}
    remove_all = False
    for cmd in cmds:
        found = manager_subcommand(cmd)
        if found is None:
            continue
        manager, idx, sub = found
        words = operands(cmd, idx + 1, VALUE_OPTIONS.get(manager, ()))
        names = [w.text for w in words]
        if sub.text in _INSTALL:
            tools = [n for n in names if is_toolchain(n)]
            installed.extend(tools)
            for i, w in enumerate(cmd.words):
                if w.text in ("-t", "--virtual") and i + 1 < len(cmd.words):
                    virtual[cmd.words[i + 1].text] = tools
                elif w.text.startswith("--virtual="):
                    virtual[w.text.split("=", 1)[1]] = tools
        elif sub.text in _REMOVE:
            for n in names:
                if "$" in n:
                    remove_all = True
                removed.add(_package_name(n))
                removed.update(_package_name(t) for t in virtual.get(n, ()))
    if remove_all:
        return []
    return [t for t in dict.fromkeys(installed) if _package_name(t) not in removed]


_BUILD_COMMANDS: dict[str, frozenset[str]] = {
    "go": frozenset({"build", "install"}),
    "cargo": frozenset({"build", "install"}),
    "mvn": frozenset({"package", "install", "verify"}),
    "gradle": frozenset({"build", "assemble", "installDist", "bootJar", "jar"}),
    "gradlew": frozenset({"build", "assemble", "installDist", "bootJar", "jar"}),
}


#: ``ENV <LANGUAGE>_VERSION``: the image is a language runtime or compiler; its users build with the toolchain.
_LANGUAGE_IMAGE = re.compile(
    r"^(?:GOLANG|GO|PYTHON|RUBY|PHP|NODE|RUST|RUSTUP|GCC|JAVA|JDK|OPENJDK|PERL|ERLANG|OTP|ELIXIR|JULIA|GHC|"
    r"HASKELL|SWIFT|DOTNET|MONO|LUA|CLANG|LLVM|ZIG|NIM|CRYSTAL|DART|KOTLIN|SCALA|GRADLE|MAVEN)_VERSION$"
    r"|^PHPIZE_DEPS$"
)


def _toolchain_is_the_product(final: Stage, stages: list[Stage]) -> bool:
    """The image exists to provide a language or build toolchain, so it ships the compiler on purpose:
    it declares ``ENV <LANGUAGE>_VERSION`` (golang, python, php, gcc ... images), or it is a build base image
    (built on ``buildpack-deps``, no CMD/ENTRYPOINT of its own, nothing copied in: it only adds packages)."""
    instructions = [i for s in stages for i in s.instructions]
    if any(i.keyword == "ENV" and any(_LANGUAGE_IMAGE.match(kv.key) for kv in i.pairs) for i in instructions):
        return True
    build_base = any(s.info.repository.rsplit("/", 1)[-1].lower() == "buildpack-deps" for s in stages)
    return build_base and not any(
        i.keyword in ("CMD", "ENTRYPOINT", "COPY", "ADD") for i in final.instructions
    )


def _builds(ins: Instruction) -> bool:
    for cmd in run_commands(ins):
        subs = _BUILD_COMMANDS.get(cmd.name)
        if subs and any(w.text in subs for w in cmd.args):
            return True
    return False


class BuildToolchainInFinalStage(Rule):
    """
    ## What it does
    Looks at the stage the build produces (the last one, or the configured `target`) and the stages it is
    built `FROM`, and flags:

    * package installs (`apt-get`, `apk`, `yum`/`dnf`/`microdnf`, `zypper`) of compilers and build tools
      (`build-essential`, `gcc`, `make`, `cmake`, `golang`, `rustc`, ...) and header packages (`*-dev`,
      `*-devel`) that the same `RUN` does not remove again (`apk del .build-deps`, `apt-get purge`);
    * a compiler base image (`golang`, `rust`, `gcc`, `maven`, `gradle`) used to build (`go build`,
      `cargo build`, `mvn package`, ...) in that stage.

    Builder stages are not looked at: their layers are thrown away. Images whose product is the toolchain are
    not flagged either: a language runtime or compiler image (it declares `ENV <LANGUAGE>_VERSION`, e.g.
    `GOLANG_VERSION`, `PHP_VERSION`, `GCC_VERSION`, or `PHPIZE_DEPS`), whose users build extensions with the
    compiler, and a build base image (on `buildpack-deps`, with no `CMD`/`ENTRYPOINT` of its own and nothing
    copied in).

    ## Why is this bad?
    Compilers and headers make the image hundreds of megabytes larger, slow every pull and deploy, and give an
    attacker who gets in a ready-made toolchain. A multi-stage build compiles in a builder stage and copies
    only the result into a small runtime stage.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*
    RUN pip install --no-cache-dir psycopg2==2.9.9
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim AS build
    RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*
    RUN pip install --no-cache-dir --prefix=/install psycopg2==2.9.9

    FROM python:3.12-slim
    RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*
    COPY --from=build /install /usr/local
    ```

    ## References
    - no equivalent in hadolint, BuildKit, Trivy or Checkov
    - https://docs.docker.com/build/building/multi-stage/
    """

    code = "DG017"
    name = "build-toolchain-in-final-stage"
    severity = Severity.WARNING
    message = "build toolchain installed in the final image"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        df = ctx.dockerfile
        final = ctx.final_stage
        if final is None:
            return
        advice = (
            "use a multi-stage build: compile in a builder stage and copy only the result"
            if len(df.stages) == 1
            else "install it in a builder stage and copy only the result into the final stage"
        )
        if _toolchain_is_the_product(final, [df.stages[i] for i in sorted(lineage(df, final.index))]):
            return
        for index in sorted(lineage(df, final.index)):
            stage = df.stages[index]
            repo = stage.info.repository.rsplit("/", 1)[-1].lower()
            flagged_base = False
            for ins in stage.instructions:
                if ins.keyword != "RUN":
                    continue
                tools = _installed_toolchain(run_commands(ins))
                if tools:
                    shown = ", ".join(tools[:5]) + (", ..." if len(tools) > 5 else "")
                    yield self.finding(ins, f"build toolchain in the final image ({shown}): {advice}")
                if (
                    not flagged_base
                    and repo in _BUILD_IMAGES
                    and df.stage_by_ref(stage.base) is None
                    and _builds(ins)
                ):
                    flagged_base = True
                    yield self.finding(
                        ins,
                        f"this builds with the {repo!r} toolchain image, which ships with the result: {advice}",
                    )
