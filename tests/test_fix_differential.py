"""Differential test of every fixer: the original and the fixed Dockerfile build to the same outcome.

Each case is a small Dockerfile on ``busybox`` or ``debian:bookworm`` (pulled through the engine's local
mirror). It is fixed with ``dockgen lint --fix`` (safe fixes) and, when that changes more,
``--fix --unsafe-fixes``; the original and each fixed text are built on the real engine and their outcomes
compared (see :mod:`tests.support.differential`: build success or the failing exit code, the image's files,
its config, and the exit status and output of its command).

* Safe fixes: the outcomes must be identical.
* Unsafe fixes: a build that succeeded must still succeed and its command behave the same; files and config
  may differ (that is why the fix is unsafe), and a build that failed may now succeed (adding ``-y`` to an
  install that stopped at its question is unsafe for exactly that reason).

Every case names the fixes it must exercise (so a case cannot silently stop testing its fixer), and
``test_every_fixer_is_exercised`` checks that every fixable rule of the default rule set is covered.

Tools the base images lack (pip, npm, yarn, apk, dnf) are small shell stand-ins copied from the build context:
they record what they install and keep a cache unless told not to, like the real ones. All variants are built
per case, the variants of a case side by side, with the engine's cache.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from dockgen.ir import Dockerfile
from dockgen.lint.config import LintConfig
from dockgen.lint.engine import Linter
from dockgen.lint.fix import fix_text
from dockgen.lint.registry import default_ruleset
from dockgen.lint.rule import Finding, FixAvailability
from dockgen.parse import parse_text
from tests.support.differential import Outcome, outcomes
from tests.support.infra import require_engine

pytestmark = [pytest.mark.docker, pytest.mark.slow]


@dataclass(frozen=True)
class Case:
    id: str
    dockerfile: str
    fixes: frozenset[str]  # codes whose fixes this case must apply (safe or unsafe)
    not_fixed: frozenset[str] = frozenset()  # codes reported but deliberately left without a fix here
    extend_select: tuple[str, ...] = ()  # opt-in rules this case enables


def case(id: str, text: str, fixes: str = "", not_fixed: str = "", extend_select: str = "") -> Case:
    return Case(
        id,
        textwrap.dedent(text).lstrip("\n"),
        frozenset(fixes.split()),
        frozenset(not_fixed.split()),
        tuple(extend_select.split()),
    )


FAKE_TOOLS = {
    # pip: installs what it is given; keeps a wheel cache unless --no-cache-dir
    "pip": r"""#!/bin/sh
cache=1
for a in "$@"; do [ "$a" = --no-cache-dir ] && cache=0; done
mkdir -p /opt/pip
for a in "$@"; do case "$a" in -*|install) ;; *) touch "/opt/pip/$(basename "$a")" ;; esac; done
if [ "$cache" = 1 ]; then mkdir -p /root/.cache/pip && echo wheel > /root/.cache/pip/wheel; fi
""",
    # npm: install/ci fill node_modules and the cache (ci needs a lock file); cache clean empties the cache
    "npm": r"""#!/bin/sh
case "$1" in
  ci) [ -f package-lock.json ] || { echo "npm ci needs package-lock.json" >&2; exit 1; } ;;
esac
case "$1" in
  install|i|ci) mkdir -p node_modules /root/.npm/_cacache && touch node_modules/.installed /root/.npm/_cacache/x ;;
  cache) rm -rf /root/.npm/_cacache ;;
  *) echo "npm: unknown command $1" >&2; exit 1 ;;
esac
""",
    "yarn": r"""#!/bin/sh
case "$1" in
  install|"") mkdir -p node_modules /usr/local/share/.cache/yarn && touch node_modules/.yarn /usr/local/share/.cache/yarn/x ;;
  cache) rm -rf /usr/local/share/.cache/yarn ;;
esac
""",
    # apk: add records packages; keeps /var/cache/apk unless --no-cache
    "apk": r"""#!/bin/sh
cmd=$1; shift
cache=1
for a in "$@"; do [ "$a" = --no-cache ] && cache=0; done
case "$cmd" in
  add) mkdir -p /opt/apk; for a in "$@"; do case "$a" in -*) ;; *) touch "/opt/apk/$a" ;; esac; done
       if [ "$cache" = 1 ]; then mkdir -p /tmp/fakecache/apk && touch /tmp/fakecache/apk/index; fi ;;
  update) mkdir -p /tmp/fakecache/apk && touch /tmp/fakecache/apk/index ;;
esac
""",
    # dnf: install needs -y (no terminal to confirm); clean all empties the cache
    "dnf": r"""#!/bin/sh
cmd=$1; shift
yes=0
for a in "$@"; do case "$a" in -y|--assumeyes) yes=1 ;; esac; done
case "$cmd" in
  install) [ "$yes" = 1 ] || { echo "Is this ok [y/N]: Operation aborted." >&2; exit 1; }
           mkdir -p /opt/dnf /tmp/fakecache/dnf; for a in "$@"; do case "$a" in -*) ;; *) touch "/opt/dnf/$a" ;; esac; done
           touch /tmp/fakecache/dnf/rpms ;;
  clean) rm -rf /tmp/fakecache/dnf ;;
esac
""",
}

CONTEXT_FILES = {
    "requirements.txt": "flask==3.0.3\n",
    "package.json": '{"name": "demo", "version": "1.0.0"}\n',
    "package-lock.json": '{"name": "demo", "lockfileVersion": 3}\n',
    "app.py": "print('app')\n",
    "notes.txt": "notes\n",
    "Makefile": "out.txt:\n\techo built > out.txt\n",
}

CASES = [
    # ---- DG019 join: each shell construct ----------------------------------------------------------------
    case(
        "join-first-fails",
        """
        FROM busybox
        RUN false
        RUN echo a > /a; echo b > /b
        """,
        "DG019",
    ),
    case(
        "join-later-or-true",
        """
        FROM busybox
        RUN sh -c 'exit 3'
        RUN rm /nothing-here || true
        """,
        "DG019",
    ),
    case(
        "join-lists-succeed",
        """
        FROM busybox
        RUN echo a > /a; echo b > /b
        RUN cat /a /b > /c || echo none > /c
        RUN echo last > /last
        """,
        "DG019",
    ),
    case(
        "join-cd",
        """
        FROM busybox
        RUN mkdir /w && cd /w && touch here
        RUN touch there
        """,
        "DG019",
    ),
    case(
        "join-later-relies-on-cd",
        """
        FROM busybox
        RUN cd /tmp
        RUN touch relied && ls > /listing
        """,
        "DG019",
    ),
    case(
        "join-export",
        """
        FROM busybox
        RUN export A=1
        RUN echo "A=$A" > /a
        """,
        "DG019",
    ),
    case(
        "join-assignment-and-set-u",
        """
        FROM busybox
        RUN B=2; set -u
        RUN echo "B=$B ${UNSET:-unset}" > /b
        """,
        "DG019",
    ),
    case(
        "join-set-e-earlier",
        """
        FROM busybox
        RUN set -e; false; echo x > /x
        RUN echo y > /y
        """,
        not_fixed="DG019",
    ),
    case(
        "join-set-e-last",
        """
        FROM busybox
        RUN echo a > /a
        RUN set -e; false; echo x > /x
        """,
        "DG019",
    ),
    case(
        "join-shell-errexit",
        """
        FROM busybox
        SHELL ["/bin/sh", "-ec"]
        RUN false; echo x > /x
        RUN echo y > /y
        """,
        not_fixed="DG019",
    ),
    case(
        "join-trap",
        """
        FROM busybox
        RUN trap 'echo bye > /trap' EXIT; echo hi
        RUN test -f /trap && echo seen > /seen
        """,
        "DG019",
    ),
    case(
        "join-function",
        """
        FROM busybox
        RUN f() { echo f > /f; }; f
        RUN f || echo no-function > /nf
        """,
        "DG019",
    ),
    case(
        "join-exit-zero",
        """
        FROM busybox
        RUN echo a > /a; exit 0; echo never > /never
        RUN echo after > /after
        """,
        "DG019",
    ),
    case(
        "join-exit-nonzero",
        """
        FROM busybox
        RUN echo x > /x; exit 4
        RUN echo y > /y
        """,
        "DG019",
    ),
    case(
        "join-umask",
        """
        FROM busybox
        RUN umask 077
        RUN touch /perm
        """,
        "DG019",
    ),
    case(
        "join-loop-variable",
        """
        FROM busybox
        RUN for i in 1 2; do echo $i >> /loop; done
        RUN echo "i=$i" > /i
        """,
        "DG019",
    ),
    case(
        "join-read-loop",
        """
        FROM busybox
        RUN printf '1\\n2\\n' | while read l; do echo "$l" >> /lines; done
        RUN echo "l=$l" > /l
        """,
        "DG019",
    ),
    case(
        "join-background-job",
        """
        FROM busybox
        RUN (sleep 2; echo late > /late) &
        RUN echo now > /now
        """,
    ),
    case(
        "join-pipes-and-subshell",
        """
        FROM busybox
        RUN echo abc | tr a x > /p
        RUN (cd /tmp && touch t) && cat /p | wc -c > /q
        """,
        "DG019",
    ),
    case(
        "join-heredoc-and-exec-form",
        """
        FROM busybox
        RUN <<EOF
        echo a > /a
        cd /tmp
        EOF
        RUN ["sh", "-c", "echo b > /b"]
        RUN echo c > c
        RUN echo d > d
        """,
        "DG019",
    ),
    case(
        "join-comments-in-continuations",
        """
        FROM busybox
        RUN echo a \\
            # a comment inside the command
            > /a && \\
            echo b > /b
        RUN echo c \\
        \t# tab-indented comment
        \t> /c
        """,
        "DG019",
    ),
    case(
        "join-instructions-between",
        """
        FROM busybox
        RUN echo a > /a
        WORKDIR /w
        RUN pwd > /pwd1
        RUN touch rel
        ENV X=1
        RUN echo "$X" > /x
        ARG Y=2
        RUN echo "$Y" > /y
        USER 65534
        RUN id -u > /tmp/uid
        RUN touch /tmp/as-nobody
        """,
        "DG019",
    ),
    case(
        "join-cmd-exit-status",
        """
        FROM busybox
        RUN echo 3 > /code
        RUN cd /tmp && echo ok > ok
        CMD ["sh", "-c", "cat /tmp/ok; exit $(cat /code)"]
        """,
        "DG019",
    ),
    # ---- other fixers ------------------------------------------------------------------------------------
    case(
        "apt-debian",
        """
        FROM debian:bookworm
        RUN apt update
        RUN apt install hello
        RUN useradd -u 123456 app
        RUN hello | tr a-z A-Z > /greeting
        CMD ["hello"]
        """,
        "DG019 DG021 DG031 DG034 DG035 DG036 DG037 DG038",
    ),
    case(
        "wget-debian",
        """
        FROM debian:bookworm
        RUN apt-get update && apt-get install -y --no-install-recommends wget && rm -rf /var/lib/apt/lists/*
        RUN wget -O /release http://deb.debian.org/debian/dists/bookworm/Release && test -s /release
        """,
        "DG019 DG027",
    ),
    case(
        "apt-remove-auto-remove",
        """
        FROM debian:bookworm
        RUN apt-get update && apt-get install -y --no-install-recommends make && make --version > /v \\
            && apt-get remove -y make && rm -rf /var/lib/apt/lists/*
        """,
        "DG055",
    ),
    case(
        "slim-variant",
        """
        FROM debian:bookworm
        RUN echo hi > /hi
        CMD ["cat", "/hi"]
        """,
        "DG056",
        extend_select="DG056",
    ),
    case(
        "pip-cache-mount",
        """
        FROM busybox
        COPY fakebin/ /usr/local/bin/
        COPY requirements.txt /app/
        RUN pip install --no-cache-dir -r /app/requirements.txt
        """,
        "DG054",
        extend_select="DG054",
    ),
    case(
        "toolchain-split",
        """
        FROM debian:bookworm
        RUN apt-get update && apt-get install -y --no-install-recommends make && rm -rf /var/lib/apt/lists/*
        COPY Makefile /src/
        RUN make -C /src
        CMD ["cat", "/src/out.txt"]
        """,
        "DG017",
    ),
    # BusyBox wget has no --progress: DG027 must leave it alone
    case(
        "wget-busybox",
        """
        FROM busybox
        RUN wget -O /release http://deb.debian.org/debian/dists/bookworm/Release && test -s /release
        """,
    ),
    case(
        "stages-and-platform",
        """
        FROM --platform=$TARGETPLATFORM busybox as Builder
        RUN echo built > /artifact
        FROM busybox
        COPY --from=Builder /artifact /artifact
        """,
        "DG006 DG012 DG013",
    ),
    case(
        "python-like",
        """
        FROM busybox
        COPY fakebin/ /usr/local/bin/
        WORKDIR /app
        COPY . .
        RUN pip install -r requirements.txt
        ADD app.py notes.txt /srv
        """,
        "DG050 DG100 DG101 DG107",
    ),
    case(
        "node-like",
        """
        FROM busybox
        COPY fakebin/ /usr/local/bin/
        WORKDIR /app
        COPY package.json package-lock.json ./
        RUN npm install
        RUN yarn install --frozen-lockfile
        """,
        "DG019 DG051 DG052 DG053",
    ),
    case(
        "apk-and-dnf",
        """
        FROM busybox
        COPY fakebin/ /usr/local/bin/
        RUN apk add curl
        RUN dnf install httpd
        """,
        "DG019 DG047 DG048 DG049",
    ),
    case(
        "config-instructions",
        """
        FROM busybox
        MAINTAINER Jane Doe <jane@example.com>
        ENV APP_HOME /srv/app
        ENV APP_BIN=$APP_HOME/bin OTHER=$APP_BIN
        ENV DEBIAN_FRONTEND=noninteractive
        LABEL description A small image
        EXPOSE 8080/TCP
        HEALTHCHECK CMD true
        HEALTHCHECK --interval=30s CMD true
        ENTRYPOINT ["/bin/echo"]
        ENTRYPOINT ["/bin/sh", "-c"]
        CMD ["exit 2"]
        CMD echo "$APP_HOME"; exit 5
        """,
        "DG121 DG122 DG123 DG128 DG130 DG131 DG133 DG142",
    ),
    case(
        "shell-form-cmd-and-casing",
        """
        FROM busybox
        run echo lower > /lower
        EXPOSE 8080:80
        CMD echo hello
        """,
        "DG120 DG127 DG134",
    ),
]


def _fixed(text: str, unsafe: bool, extend_select: tuple[str, ...] = ()) -> tuple[str, set[str], set[str]]:
    """(fixed text, codes whose fixes were applied, codes still reported) -- what ``lint --fix`` does."""
    linter = Linter(config=LintConfig(extend_select=extend_select)) if extend_select else Linter()

    def lint(df: Dockerfile) -> list[Finding]:
        return linter.lint_df(df, None)

    fixed = fix_text(text, "Dockerfile", lint, unsafe=unsafe)
    reported = {f.code for f in lint(parse_text(fixed.text, "Dockerfile"))}
    return fixed.text, {f.code for f in fixed.applied}, reported


@dataclass
class Run:
    texts: dict[str, str]
    applied: dict[str, set[str]]
    reported: dict[str, set[str]]
    results: dict[str, Outcome]


@pytest.fixture(scope="module")
def context(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The build context every case uses: the stand-in tools and a few project files."""
    require_engine()
    root = tmp_path_factory.mktemp("difftest")
    for name, body in CONTEXT_FILES.items():
        (root / name).write_text(body)
    tools = root / "fakebin"
    tools.mkdir()
    for name, body in FAKE_TOOLS.items():
        (tools / name).write_text(body)
        (tools / name).chmod(0o755)
    return root


def differential(c: Case, context: Path) -> Run:
    """Fix the case's Dockerfile (safe, and safe + unsafe) and build every distinct text, a few at a time."""
    safe, safe_applied, safe_reported = _fixed(c.dockerfile, False, c.extend_select)
    unsafe, unsafe_applied, _ = _fixed(c.dockerfile, True, c.extend_select)
    texts = {"original": c.dockerfile, "safe": safe}
    if unsafe != safe:
        texts["unsafe"] = unsafe
    done = outcomes(context, [(f"{c.id}.{v}", t) for v, t in texts.items()])
    results = {v: done[f"{c.id}.{v}"] for v in texts}
    return Run(texts, {"safe": safe_applied, "unsafe": unsafe_applied}, {"safe": safe_reported}, results)


def _report(run: Run, variant: str, diffs: list[str]) -> str:
    return (
        f"--- original\n{run.texts['original']}--- {variant}\n{run.texts[variant]}"
        + "--- differences\n"
        + "\n".join(diffs)
    )


@pytest.mark.parametrize("c", CASES, ids=[c.id for c in CASES])
def test_fixed_dockerfile_builds_the_same(c: Case, context: Path) -> None:
    run = differential(c, context)
    applied = run.applied["safe"] | run.applied["unsafe"]
    assert c.fixes <= applied, f"fixes not applied: {sorted(c.fixes - applied)}\n{run.texts}"
    assert not (c.not_fixed & applied), f"fixed although it must not be: {sorted(c.not_fixed & applied)}"
    assert c.not_fixed <= run.reported["safe"], "a finding that should stay was not reported"
    original = run.results["original"]
    diffs = original.differences(run.results["safe"])
    assert not diffs, _report(run, "safe", diffs)
    if "unsafe" in run.results and original.build == "ok":
        diffs = original.differences(run.results["unsafe"], files_and_config=False)
        assert not diffs, _report(run, "unsafe", diffs)


def test_every_fixer_is_exercised() -> None:
    fixable = {r.code for r in default_ruleset().rules if r.fix_availability != FixAvailability.NEVER}
    covered = {code for c in CASES for code in c.fixes}
    assert fixable <= covered, f"fixers without a differential case: {sorted(fixable - covered)}"
