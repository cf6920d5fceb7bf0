"""DG017: compilers, build tools or -dev packages installed in the final image."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen._lazyre import lazy_compile
from dockgen.ir import IRInstruction, IRStage
from dockgen.lint.rule import Finding, Fix, FixAvailability, LintContext, Replace, Rule, Severity
from dockgen.shell.argv import operands
from dockgen.shell.packages import VALUE_OPTIONS, manager_subcommand
from dockgen.shell.run import run_commands
from dockgen.shell.syntax import Command
from dockgen.stages import lineage
from dockgen.toolchain import is_toolchain
from dockgen.toolchain import package_name as _package_name

_INSTALL = frozenset({"install", "add", "groupinstall"})
_REMOVE = frozenset({"purge", "remove", "del", "erase", "autoremove", "groupremove"})
_BUILD_IMAGES = frozenset({"golang", "rust", "gcc", "maven", "gradle", "buildpack-deps"})


_APT = frozenset({"apt-get", "apt", "aptitude"})


def _apt_autoremoves(cmds: tuple[Command, ...], pos: int) -> bool:
    """The apt removal at ``pos`` also removes the dependencies (``--auto-remove``, or a later autoremove)."""
    if any(w.text in ("--auto-remove", "--autoremove") for w in cmds[pos].args):
        return True
    for cmd in cmds[pos + 1 :]:
        found = manager_subcommand(cmd)
        if found is not None and found[0] in _APT and found[2].text == "autoremove":
            return True
    return False


def _installed_toolchain(cmds: tuple[Command, ...]) -> tuple[list[str], list[str]]:
    """(toolchain packages installed and not removed again, those removed without their dependencies)."""
    installed: list[str] = []
    removed: set[str] = set()
    shallow: list[str] = []
    virtual: dict[str, list[str]] = {}
    remove_all = False
    for pos, cmd in enumerate(cmds):
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
            # apt-get remove/purge of build-essential, gcc, golang-go ... without --auto-remove takes away
            # the named package only: the compilers it depends on stay (header packages are leaves)
            keeps_deps = manager in _APT and sub.text != "autoremove" and not _apt_autoremoves(cmds, pos)
            for n in names:
                if "$" in n:
                    remove_all = True
                if keeps_deps and is_toolchain(n) and not _package_name(n).endswith("-dev"):
                    shallow.append(_package_name(n))
                    continue
                removed.add(_package_name(n))
                removed.update(_package_name(t) for t in virtual.get(n, ()))
    if remove_all:
        return [], []
    left = [t for t in dict.fromkeys(installed) if _package_name(t) not in removed]
    return left, [t for t in left if _package_name(t) in shallow]


_BUILD_COMMANDS: dict[str, frozenset[str]] = {
    "go": frozenset({"build", "install"}),
    "cargo": frozenset({"build", "install"}),
    "mvn": frozenset({"package", "install", "verify"}),
    "gradle": frozenset({"build", "assemble", "installDist", "bootJar", "jar"}),
    "gradlew": frozenset({"build", "assemble", "installDist", "bootJar", "jar"}),
}


#: ``ENV <LANGUAGE>_VERSION``: the image is a language runtime or compiler; its users build with the toolchain.
_LANGUAGE_IMAGE = lazy_compile(
    r"^(?:GOLANG|GO|PYTHON|RUBY|PHP|NODE|RUST|RUSTUP|GCC|JAVA|JDK|OPENJDK|PERL|ERLANG|OTP|ELIXIR|JULIA|GHC|"
    r"HASKELL|SWIFT|DOTNET|MONO|LUA|CLANG|LLVM|ZIG|NIM|CRYSTAL|DART|KOTLIN|SCALA|GRADLE|MAVEN)_VERSION$"
    r"|^PHPIZE_DEPS$"
)


def _toolchain_is_the_product(final: IRStage, stages: list[IRStage]) -> bool:
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


def _builds(ins: IRInstruction) -> bool:
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
    FROM python:3.12-slim AS builder
    RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*
    RUN pip install --no-cache-dir psycopg2==2.9.9

    FROM python:3.12-slim
    RUN apt-get update \\
        && apt-get install -y --no-install-recommends libpq5 \\
        && rm -rf /var/lib/apt/lists/*
    COPY --from=builder /usr/local/lib/python3.12/site-packages /usr/local/lib/python3.12/site-packages
    COPY --from=builder /usr/local/bin /usr/local/bin
    ```

    ## Fix (unsafe)
    When the final stage is the file's only stage lineage (built `FROM` an image, not another stage), the fix
    splits it: the original instructions up to the last build step become a `builder` stage, and a runtime
    stage on the same base repeats what the program needs (`ENV`, `WORKDIR`, `USER`, users and directories,
    the `COPY`s of sources the build did not write into), installs the packages that are not build tools plus
    the runtime libraries of the `-dev` packages (`libssl-dev` -> `libssl3`), and copies what the build
    installed: `make install`/`cmake --install` prefixes, `gcc -o`/`go build -o` outputs, `cargo build
    --release` binaries (names from `Cargo.toml`), the virtualenv or `--prefix` of `pip install` (on a
    `python` image, a system-wide `pip install` copies `site-packages` and `/usr/local/bin`, not the
    interpreter), and the directories built in place (`npm ci`, `make` without install). It is unsafe because the runtime stage
    lacks whatever else the build left behind. There is no fix, and the message says why, when the artifacts
    cannot be determined with confidence: an unknown command before the build, package changes after it, a
    `-dev` package whose runtime library is not known, a command that runs a build tool at run time, a base
    image that is itself the toolchain. See docs/optimize.md.

    ## References
    - no equivalent in hadolint, BuildKit, Trivy or Checkov
    - https://docs.docker.com/build/building/multi-stage/
    """

    code = "DG017"
    name = "build-toolchain-in-final-stage"
    severity = Severity.WARNING
    message = "build toolchain installed in the final image"
    fix_availability = FixAvailability.SOMETIMES

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
        offered = False
        for index in sorted(lineage(df, final.index)):
            stage = df.stages[index]
            repo = stage.info.repository.rsplit("/", 1)[-1].lower()
            flagged_base = False
            for ins in stage.instructions:
                if ins.keyword != "RUN":
                    continue
                tools, shallow = _installed_toolchain(run_commands(ins))
                if tools:
                    shown = ", ".join(tools[:5]) + (", ..." if len(tools) > 5 else "")
                    message = f"build toolchain in the final image ({shown}): {advice}"
                    if shallow:
                        message = (
                            f"build toolchain in the final image ({shown}): apt-get remove of "
                            f"{', '.join(shallow)} without --auto-remove leaves the compilers it pulled in; "
                            f"add --auto-remove (DG055), or {advice}"
                        )
                    fix = None
                    if not offered:
                        offered = True
                        fix, why = self._split(ctx, index)
                        if why:
                            message += f" (no automatic split: {why})"
                    yield self.finding(ins, message, fix=fix)
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

    def _split(self, ctx: LintContext, index: int) -> tuple[Fix | None, str]:
        """The multi-stage split of stage ``index`` as an unsafe fix, or the reason there is none."""
        df = ctx.dockerfile
        if lineage(df, index) != frozenset({index}):
            return None, "the final stage is built FROM another stage of this file"
        stage = df.stages[index]
        repo = stage.info.repository.rsplit("/", 1)[-1].lower()
        if repo in _BUILD_IMAGES:
            return None, f"the toolchain comes with the {repo!r} base image; choose a runtime base by hand"
        from dockgen.split import NoSplit, builder_from, plan_split  # only to offer the split as a fix

        try:
            plan = plan_split(df, stage, ctx.context_dir)
        except NoSplit as exc:
            return None, exc.reason
        shown = ", ".join(plan.artifacts)
        fix = Fix(
            f"split into a {plan.builder!r} stage and a runtime stage that copies {shown}",
            (
                Replace(targets=(plan.from_,), replacement=(builder_from(plan),)),
                Replace(targets=(), after=plan.last_build, replacement=plan.runtime),
            ),
            safe=False,
        )
        return fix, ""
