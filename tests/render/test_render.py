"""Lowering and rendering: every instruction and flag, layout rules, determinism, round trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockgen import (
    Add,
    Arg,
    BindMount,
    CacheMount,
    Cmd,
    Comment,
    Copy,
    Entrypoint,
    Env,
    Expose,
    Healthcheck,
    Heredoc,
    Image,
    Label,
    Maintainer,
    OnBuild,
    Run,
    SecretMount,
    Shell,
    SshMount,
    Stage,
    StopSignal,
    TmpfsMount,
    User,
    Volume,
    Workdir,
    ir,
)
from dockgen.compile import render_image
from dockgen.lower import lower, lower_instruction
from dockgen.parse import parse_text
from dockgen.render import (
    default_header,
    normalize,
    render_dockerfile,
    render_instruction,
)
from dockgen.shell.syntax import collapse_blanks, split_commands, tokenize

CASES = [
    (Run("make all"), "RUN make all"),
    (Run(["make", "all"]), 'RUN ["make", "all"]'),
    (Run("--help"), "RUN -- --help"),
    (
        Run(
            "pip install -r r.txt",
            mounts=[
                CacheMount(
                    "/root/.cache/pip",
                    id="pip",
                    sharing="locked",
                    uid=1000,
                    gid=1000,
                    mode="0755",
                    readonly=True,
                )
            ],
        ),
        "RUN --mount=type=cache,id=pip,target=/root/.cache/pip,sharing=locked,mode=0755,uid=1000,gid=1000,readonly=true pip install -r r.txt",
    ),
    (
        Run("ls", mounts=[CacheMount("/c", from_="builder", source="/x")]),
        "RUN --mount=type=cache,target=/c,from=builder,source=/x ls",
    ),
    (
        Run("ls", mounts=[BindMount("/src", source=".", from_="builder", rw=True)]),
        "RUN --mount=type=bind,target=/src,source=.,from=builder,rw=true ls",
    ),
    (
        Run(
            "cat /run/secrets/token",
            mounts=[
                SecretMount("token", target="/run/secrets/token", required=True, mode="0400", uid=0, gid=0)
            ],
        ),
        "RUN --mount=type=secret,id=token,target=/run/secrets/token,required=true,mode=0400,uid=0,gid=0 cat /run/secrets/token",
    ),
    (
        Run("env", mounts=[SecretMount("token", env="TOKEN")]),
        "RUN --mount=type=secret,id=token,env=TOKEN env",
    ),
    (Run("git clone x", mounts=[SshMount(required=True)]), "RUN --mount=type=ssh,required=true git clone x"),
    (Run("ls", mounts=[TmpfsMount("/tmp", size="64m")]), "RUN --mount=type=tmpfs,target=/tmp,size=64m ls"),
    (Run("ls", mounts=["type=bind,target=/x"]), "RUN --mount=type=bind,target=/x ls"),
    (Run("curl x", network="none", security="insecure"), "RUN --network=none --security=insecure curl x"),
    (Run("ls", extra_flags=["--device=/dev/fuse"]), "RUN --device=/dev/fuse ls"),
    (Run(heredocs=[Heredoc("set -e\necho hi")]), "RUN <<EOF\nset -e\necho hi\nEOF"),
    (
        Run("python3 <<'PY'", heredocs=[Heredoc("print('$HOME')\n", "PY", quote="'")]),
        "RUN python3 <<'PY'\nprint('$HOME')\nPY",
    ),
    (Run(heredocs=[Heredoc("\techo hi\n", strip_tabs=True)]), "RUN <<-EOF\n\techo hi\nEOF"),
    (Copy("src/", "/app/src/"), "COPY src/ /app/src/"),
    (Copy(["a", "b"], "/app/"), "COPY a b /app/"),
    (Copy("my file", "/app/"), 'COPY ["my file", "/app/"]'),
    (
        Copy(
            "/out",
            "/app",
            from_="builder",
            chown="10001:10001",
            chmod="0755",
            link=True,
            parents=True,
            exclude=["*.md", "tests"],
        ),
        "COPY --from=builder --chown=10001:10001 --chmod=0755 --link --parents --exclude=*.md --exclude=tests /out /app",
    ),
    (Copy(files={"/etc/app.conf": "port = $PORT\n"}), "COPY <<'EOF' /etc/app.conf\nport = $PORT\nEOF"),
    (Copy(["<<EOF"], "/x", heredocs=[Heredoc("hi\n")]), "COPY <<EOF /x\nhi\nEOF"),
    (
        Add(
            "https://example.com/a.tgz",
            "/opt/",
            checksum="sha256:" + "0" * 64,
            chown="1:1",
            chmod="0644",
            link=True,
        ),
        "ADD --chown=1:1 --chmod=0644 --checksum=sha256:"
        + "0" * 64
        + " --link https://example.com/a.tgz /opt/",
    ),
    (
        Add("https://github.com/x/y.git#v1", "/src", keep_git_dir=True),
        "ADD --keep-git-dir=true https://github.com/x/y.git#v1 /src",
    ),
    (
        Env({"PORT": "8080", "GREETING": "hello world", "PATH": "/opt/bin:$PATH"}),
        'ENV PORT=8080 GREETING="hello world" PATH=/opt/bin:$PATH',
    ),
    (Env({"Q": 'say "hi" \\o/'}), 'ENV Q="say \\"hi\\" \\\\o/"'),
    (Env({"A": "'$B'"}, raw=True), "ENV A='$B'"),
    (Label({"org.opencontainers.image.title": "web"}), "LABEL org.opencontainers.image.title=web"),
    (Arg("VERSION"), "ARG VERSION"),
    (Arg("VERSION", "1.2"), "ARG VERSION=1.2"),
    (Arg({"A": "1", "B": None}), "ARG A=1 B"),
    (Workdir("/app"), "WORKDIR /app"),
    (User("10001:10001"), "USER 10001:10001"),
    (Expose([80, "443/tcp", "53/udp"]), "EXPOSE 80 443/tcp 53/udp"),
    (Volume(["/data", "/logs"]), "VOLUME /data /logs"),
    (Cmd(["node", "server.js"]), 'CMD ["node", "server.js"]'),
    (Cmd("node server.js"), "CMD node server.js"),
    (Entrypoint(["/tini", "--"]), 'ENTRYPOINT ["/tini", "--"]'),
    (Entrypoint("exec /app"), "ENTRYPOINT exec /app"),
    (
        Healthcheck(
            ["curl", "-f", "http://localhost/"],
            interval="30s",
            timeout=3,
            start_period="1m",
            start_interval="2s",
            retries=3,
        ),
        'HEALTHCHECK --interval=30s --timeout=3s --start-period=1m --start-interval=2s --retries=3 CMD ["curl", "-f", "http://localhost/"]',
    ),
    (
        Healthcheck("curl -f http://localhost/ || exit 1"),
        "HEALTHCHECK CMD curl -f http://localhost/ || exit 1",
    ),
    (Healthcheck.none(), "HEALTHCHECK NONE"),
    (Shell(["/bin/bash", "-o", "pipefail", "-c"]), 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]'),
    (StopSignal("SIGTERM"), "STOPSIGNAL SIGTERM"),
    (Maintainer("someone@example.com"), "MAINTAINER someone@example.com"),
    (OnBuild(Copy(".", "/app/")), "ONBUILD COPY . /app/"),
    (OnBuild(Run(["make"])), 'ONBUILD RUN ["make"]'),
]


@pytest.mark.parametrize(
    ("step", "expected"), CASES, ids=[f"{i:02d}-{c[1].split()[0]}" for i, c in enumerate(CASES)]
)
def test_instruction_lowers_and_renders(step: object, expected: str) -> None:
    rendered = "\n".join(render_instruction(i) for i in lower_instruction(step))
    assert rendered == expected
    # and the parser reads back exactly what was lowered
    df = ir.Dockerfile(
        instructions=(ir.IRInstruction("FROM", args=("x",), original="FROM"), *lower_instruction(step))
    )
    assert normalize(parse_text(render_dockerfile(df))) == normalize(df)


def test_long_run_split_one_command_per_line() -> None:
    step = Run.chain(
        "apt-get update",
        "apt-get install -y --no-install-recommends curl ca-certificates git",
        "rm -rf /var/lib/apt/lists/*",
    )
    text = render_instruction(lower_instruction(step)[0])
    assert text == (
        "RUN apt-get update \\\n"
        "    && apt-get install -y --no-install-recommends curl ca-certificates git \\\n"
        "    && rm -rf /var/lib/apt/lists/*"
    )


def test_long_run_with_mounts_puts_flags_on_their_own_lines() -> None:
    step = Run(
        "apt-get update && apt-get install -y curl",
        mounts=[
            CacheMount("/var/cache/apt", sharing="locked"),
            CacheMount("/var/lib/apt/lists", sharing="locked"),
        ],
    )
    assert render_instruction(lower_instruction(step)[0]).splitlines() == [
        "RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\",
        "    --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \\",
        "    apt-get update \\",
        "    && apt-get install -y curl",
    ]


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        pytest.param("a && b", ["a", "&& b"], id="and"),
        pytest.param("a || b; c", ["a", "|| b;", "c"], id="or-semicolon"),
        pytest.param('echo "x && y" && z', ['echo "x && y"', "&& z"], id="quoted-operator"),
        pytest.param("echo 'a;b' ; c", ["echo 'a;b';", "c"], id="single-quoted"),
        pytest.param("x=$(a && b) && c", ["x=$(a && b)", "&& c"], id="subshell"),
        pytest.param("{ a; b; } && c", ["{ a; b; }", "&& c"], id="group"),
        pytest.param("case $x in a) y;; esac", ["case $x in a) y;; esac"], id="case"),
        pytest.param("a\\ \\&\\& b", ["a\\ \\&\\& b"], id="escaped"),
        pytest.param("(cd x  &&  make) && y", ["(cd x && make)", "&& y"], id="parenthesised-subshell"),
        pytest.param("a && b # note && c", ["a", "&& b # note && c"], id="comment-stays-whole"),
        pytest.param("a ;& b", ["a;", "& b"], id="case-fall-through"),
    ],
)
def test_split_commands(text: str, lines: list[str]) -> None:
    assert split_commands(text) == lines


def test_collapse_blanks_keeps_quoted_text() -> None:
    assert collapse_blanks("  a    'b    c'   \"d   e\"   f\\  g ") == "a 'b    c' \"d   e\" f\\  g"


@pytest.mark.parametrize(
    ("text", "collapsed"),
    [
        pytest.param(
            "echo $(a   b)  ${X:-y  z}  $((1  +  2))", "echo $(a b) ${X:-y z} $((1 + 2))", id="expansions"
        ),
        pytest.param("diff <(ls  a)  >(cat  b)", "diff <(ls a) >(cat b)", id="process-substitution"),
        # a quoted string inside a command substitution inside double quotes is still quoted
        pytest.param('echo "$(date "+%Y  %m")"', 'echo "$(date "+%Y  %m")"', id="quotes-in-substitution"),
        pytest.param("echo ${A:-'x  y'}", "echo ${A:-'x  y'}", id="single-quotes-in-parameter"),
        pytest.param("a\tb\t&&\tc", "a b && c", id="tabs"),
    ],
)
def test_collapse_blanks_inside_expansions(text: str, collapsed: str) -> None:
    assert collapse_blanks(text) == collapsed


CORPUS = sorted((Path(__file__).parent.parent / "corpus").glob("*.Dockerfile"))


def _shell_words(text: str) -> list[tuple[str, str | None]]:
    """The tokens of ``text``; a word with blanks inside its ``$(...)``/``${...}`` only by its kind."""
    runs: list[tuple[int, int]] = []
    tokens = tokenize(text, runs)
    return [(t.kind, None if any(t.start <= r < t.end for r, _ in runs) else t.text) for t in tokens]


def test_layout_keeps_every_word_the_shell_sees() -> None:
    """Collapsing blanks and splitting a command over lines never changes its tokens (only blank runs inside
    ``$(...)``/``${...}`` words, which the shell reads as blanks too)."""
    seen = 0
    for path in CORPUS:
        for ins in parse_text(path.read_text(encoding="utf-8")).walk():
            if ins.keyword not in ("RUN", "CMD", "ENTRYPOINT") or ins.form != "shell" or not ins.args:
                continue
            text = ins.args[0]
            for variant in (collapse_blanks(text), " ".join(split_commands(text))):
                assert _shell_words(variant) == _shell_words(text), (path.name, text, variant)
            seen += 1
    assert seen > 100


def test_long_pairs_one_per_line() -> None:
    step = Label({f"org.opencontainers.image.{k}": "x" * 20 for k in ("title", "vendor", "licenses")})
    lines = render_instruction(lower_instruction(step)[0]).splitlines()
    assert lines[0].startswith("LABEL org.opencontainers.image.title=") and lines[0].endswith(" \\")
    assert lines[1].startswith("    org.opencontainers.image.vendor=")


def _image() -> Image:
    builder = Stage(
        "builder", base="debian:bookworm", workdir="/src", steps=[Comment("build it"), Run("make")]
    )
    return Image(
        "web",
        syntax="docker/dockerfile:1",
        args={"BASE": "debian:bookworm-slim"},
        labels={"org.opencontainers.image.title": "web"},
        stages=[
            builder,
            Stage(
                base="${BASE}", steps=[Copy("/src/out", "/app", from_=builder), Cmd(["/app"])], user="10001"
            ),
        ],
    )


def test_render_image_layout_and_header_after_directives() -> None:
    text = render_image(_image(), source="build_images.py")
    assert text == (
        "# syntax=docker/dockerfile:1\n"
        '# Generated by dockgen from build_images.py (image "web"). Do not edit; run "dockgen render".\n'
        "\n"
        "ARG BASE=debian:bookworm-slim\n"
        "\n"
        "FROM debian:bookworm AS builder\n"
        "WORKDIR /src\n"
        "# build it\n"
        "RUN make\n"
        "\n"
        "FROM ${BASE}\n"
        "COPY --from=builder /src/out /app\n"
        'CMD ["/app"]\n'
        "USER 10001\n"
        "LABEL org.opencontainers.image.title=web\n"
    )
    df = parse_text(text)
    assert df.directive("syntax") == "docker/dockerfile:1"


def test_render_is_deterministic() -> None:
    assert render_image(_image(), source="b.py") == render_image(_image(), source="b.py")
    df = lower(_image())
    assert render_dockerfile(df).encode() == render_dockerfile(df).encode()


def test_declaration_round_trip() -> None:
    df = lower(_image())
    assert normalize(parse_text(render_dockerfile(df))) == normalize(df)
    with_header = parse_text(render_dockerfile(df, header=default_header("b.py", "web")))
    assert next(c.text for c in with_header.comments).startswith("Generated by dockgen")


def test_base_overrides_and_project_image_base() -> None:
    base = Image("base", version="1.0.0", context="base", stages=[Stage(base="debian:bookworm")])
    app = Image("app", stages=[Stage(base=base)])
    assert lower(app).stages[0].base == "base:1.0.0"
    assert (
        lower(app, base_overrides={"base": "base@sha256:" + "a" * 64}).stages[0].base
        == "base@sha256:" + "a" * 64
    )


def test_escape_directive_uses_backtick_continuations() -> None:
    image = Image(
        "win",
        directives={"escape": "`"},
        stages=[
            Stage(
                base="x",
                steps=[
                    Run.chain(
                        "echo one two three four five six seven", "echo eight nine ten eleven twelve thirteen"
                    )
                ],
            )
        ],
    )
    text = render_image(image)
    assert "# escape=`" in text.splitlines()[0]
    assert " `\n    && echo eight" in text
    df = parse_text(text)
    assert df.escape == "`"
    assert normalize(df).instructions[1].args == (
        "echo one two three four five six seven && echo eight nine ten eleven twelve thirteen",
    )


def test_free_comments_are_kept_in_order() -> None:
    text = "# top\n\n# attached\nFROM x\nRUN a \\\n# inside\n    && b\n# tail\n"
    df = parse_text(text)
    again = parse_text(render_dockerfile(df))
    assert [c.text for c in again.comments] == ["top", "attached", "inside", "tail"]
    assert normalize(again) == normalize(df)


def test_comment_that_looks_like_a_directive_stays_a_comment() -> None:
    df = parse_text("\n# syntax=not-a-directive\nFROM x\n")
    assert df.directives == ()
    assert parse_text(render_dockerfile(df)).directives == ()
