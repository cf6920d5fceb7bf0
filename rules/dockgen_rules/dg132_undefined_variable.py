"""DG132: a variable used in an instruction argument before it is defined."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.ir import Dockerfile, IRInstruction, IRStage
from dockgen.lint.rule import Finding, LintContext, Rule, Severity
from dockgen.stages import env_before, stage_chain
from dockgen_rules._variables import plain_references

#: Instructions whose arguments the builder expands (RUN/CMD/ENTRYPOINT text is left to the shell).
_EXPANDED = frozenset(
    {"ADD", "COPY", "ENV", "EXPOSE", "LABEL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR", "ARG"}
)
#: Names the builder provides without a declaration, or that only build arguments set.
_PREDEFINED = frozenset(
    {
        "TARGETPLATFORM",
        "TARGETOS",
        "TARGETARCH",
        "TARGETVARIANT",
        "BUILDPLATFORM",
        "BUILDOS",
        "BUILDARCH",
        "BUILDVARIANT",
        "TARGETSTAGE",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "FTP_PROXY",
        "NO_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "ftp_proxy",
        "no_proxy",
        "all_proxy",
        "BUILDKIT_SBOM_SCAN_CONTEXT",
        "BUILDKIT_SBOM_SCAN_STAGE",
        "SOURCE_DATE_EPOCH",
    }
)


#: Variables (nearly) every base image or the runtime defines: never "did you mean" another name for them.
_BASE_ENV = frozenset(
    {"PATH", "HOME", "HOSTNAME", "LANG", "LANGUAGE", "LC_ALL", "TERM", "USER", "SHELL", "PWD", "TZ"}
)


def _texts(ins: IRInstruction) -> list[str]:
    if ins.keyword in ("ENV", "ARG"):
        return [kv.value for kv in ins.pairs if kv.value]
    if ins.keyword == "LABEL":
        return [t for kv in ins.pairs for t in (kv.key, kv.value or "")]
    texts = [a for a in ins.args if not a.startswith("<<")]
    if ins.keyword in ("COPY", "ADD"):
        texts.extend(v for v in (ins.flag("chown"), ins.flag("chmod")) if v)
    return texts


def _external_base(df: Dockerfile, stage: IRStage) -> bool:
    """Whether the stage (through its parents) starts from an image whose environment we cannot see."""
    root = stage_chain(df, stage)[-1]
    return root.base.lower() != "scratch"


class UndefinedVariable(Rule):
    """
    ## What it does
    Flags `$NAME` / `${NAME}` in the arguments the builder expands (`COPY`, `ADD`, `ENV`, `ARG`, `LABEL`,
    `EXPOSE`, `USER`, `WORKDIR`, `VOLUME`, `STOPSIGNAL`) when no `ARG` or `ENV` of the stage (or of a stage of
    the same file it is built from) defines `NAME` before that instruction. Like BuildKit, `RUN`, `CMD` and
    `ENTRYPOINT` are left alone (the shell expands them), and references with a default (`${NAME:-x}`) are
    fine.

    dockgen cannot see the environment of an external base image (BuildKit can), so for stages built on one
    it only reports what is certainly wrong: a global `ARG` (declared before the first `FROM`) used without
    being redeclared in the stage, and a name that is a near-miss of a defined one (a typo). In stages
    built from `scratch` every undefined name is reported. Predefined build arguments (`TARGETARCH`,
    `HTTP_PROXY`, ...) are never reported.

    ## Why is this bad?
    An undefined variable silently expands to the empty string: `COPY app-$VERSION.tar.gz /opt/` looks for
    `app-.tar.gz`, and `WORKDIR $APP_HOME` becomes `/`.

    ## Example
    ```dockerfile
    ARG VERSION=1.4.2
    FROM python:3.12-slim
    COPY dist/app-${VERSION}.tar.gz /tmp/
    ```

    ## Use instead
    ```dockerfile
    ARG VERSION=1.4.2
    FROM python:3.12-slim
    ARG VERSION
    COPY dist/app-${VERSION}.tar.gz /tmp/
    ```

    ## References
    - BuildKit UndefinedVar
    - https://docs.docker.com/reference/build-checks/undefined-var/
    """

    code = "DG132"
    name = "undefined-variable"
    triggers = _EXPANDED
    severity = Severity.WARNING
    message = "variable used before it is defined"
    equivalents = ("UndefinedVar",)

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        df = ctx.dockerfile
        global_args = {kv.key for g in df.global_args if g.keyword == "ARG" for kv in g.pairs}
        for stage in ctx.stages:
            external = _external_base(df, stage)
            for ins in stage.instructions:
                if ins.keyword not in _EXPANDED:
                    continue
                names = [n for t in _texts(ins) for n in plain_references(t)]
                if not names:
                    continue
                env = env_before(df, ins)
                reported: set[str] = set()
                for name in names:
                    if name in env or name in _PREDEFINED or name in reported:
                        continue
                    message = self._message(name, env, global_args, external)
                    if message is not None:
                        reported.add(name)
                        yield self.finding(ins, message)

    @staticmethod
    def _message(name: str, env: dict[str, str], global_args: set[str], external: bool) -> str | None:
        if name in global_args:
            return f"${name} is a global ARG (declared before FROM) and is empty here: add 'ARG {name}' to the stage"
        import difflib  # only for a name that is not defined

        close = difflib.get_close_matches(name, list(env), n=1, cutoff=0.8)
        if close and not (external and name in _BASE_ENV):
            return f"${name} is not defined (did you mean ${close[0]}?)"
        if external:
            return None
        return f"${name} is not defined by an ARG or ENV before this instruction"
