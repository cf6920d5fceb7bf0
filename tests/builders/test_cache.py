"""Registry cache: ``--cache-to``/``--cache-from``, ``--cache registry`` and ``[tool.dockgen.build] cache``."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from dockgen.builders.config import apply_cache, load_build_config
from dockgen.builders.spec import BuildSpec
from dockgen.cli import main
from dockgen.errors import ConfigError, UsageError
from tests.support.infra import PLAIN_REGISTRY, require_buildx, require_engine, require_registry, unique_repo

SPEC = BuildSpec("web", "FROM busybox\n", Path("."), ("reg:5000/team/web:1", "reg:5000/team/web:latest"))
REF = "type=registry,ref=reg:5000/team/web:buildcache"

APPLY = {
    "registry-push": (dict(mode="registry", push=True), (REF,), (REF + ",mode=max",)),
    "registry-local-reads-only": (dict(mode="registry", push=False), (REF,), ()),
    "none": (dict(mode="none", push=True), (), ()),
    "placeholders": (
        dict(
            mode="none",
            push=False,
            cache_from=["type=registry,ref={repo}:c"],
            cache_to=["type=local,dest=/c/{name}"],
        ),
        ("type=registry,ref=reg:5000/team/web:c",),
        ("type=local,dest=/c/web",),
    ),
    "cache-tag": (
        dict(mode="registry", push=False, cache_tag="ci-cache"),
        ("type=registry,ref=reg:5000/team/web:ci-cache",),
        (),
    ),
}


@pytest.mark.parametrize("case", list(APPLY), ids=list(APPLY))
def test_apply_cache(case: str) -> None:
    kwargs, froms, tos = APPLY[case]
    (spec,) = apply_cache([SPEC], **kwargs)  # type: ignore[arg-type]
    assert (spec.cache_from, spec.cache_to) == (froms, tos)


def test_unknown_placeholder_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match=r"\{repo\} and \{name\}"):
        apply_cache([SPEC], mode="none", cache_from=["ref={registry}"], push=False)


CONFIGS = {
    "pyproject": (
        "pyproject.toml",
        '[tool.dockgen.build]\ncache = "registry"\ncache-tag = "bc"\n',
        ("registry", "bc"),
    ),
    "dockgen.toml": ("dockgen.toml", '[build]\ncache = "none"\n', ("none", "buildcache")),
    "no-table": ("pyproject.toml", '[project]\nname = "x"\n', ("none", "buildcache")),
}


@pytest.mark.parametrize("case", list(CONFIGS), ids=list(CONFIGS))
def test_config(tmp_path: Path, case: str) -> None:
    name, text, expected = CONFIGS[case]
    (tmp_path / name).write_text(text)
    config = load_build_config(tmp_path)
    assert (config.cache, config.cache_tag) == expected


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ('[build]\n\ncache = "s3"\n', "expected one of registry, none", 3),
        ("[build]\ncash = 1\n", "unknown key 'cash'", 2),
        ('[build]\ncache-tag = "no tags!"\n', "cache-tag", 2),
    ],
    ids=["bad-mode", "unknown-key", "bad-tag"],
)
def test_config_errors_say_where(tmp_path: Path, text: str, message: str, line: int) -> None:
    (tmp_path / "dockgen.toml").write_text(text)
    with pytest.raises(ConfigError, match=message) as err:
        load_build_config(tmp_path)
    assert err.value.file == str(tmp_path / "dockgen.toml")
    assert err.value.line == line


BUILD_FILE = """\
from dockgen.models import Copy, Image, Run, Stage

svc = Image("svc", registry="{reg}", namespace="{ns}", version="1.0.0",
            stages=[Stage(base="busybox", steps=[Copy("data.txt", "/data.txt"),
                                                 Run("date +%s%N > /stamp && sleep 1")])])
images = [svc]
"""


@pytest.fixture
def cache_project(tmp_path: Path) -> tuple[Path, str]:
    require_engine()
    require_buildx()
    require_registry(PLAIN_REGISTRY)
    ns = unique_repo("cache")
    (tmp_path / "data.txt").write_text("data\n")
    (tmp_path / "build_images.py").write_text(BUILD_FILE.format(reg=PLAIN_REGISTRY, ns=ns))
    return tmp_path, f"{PLAIN_REGISTRY}/{ns}/svc"


def _stamp(ref: str) -> str:
    out = subprocess.run(["docker", "run", "--rm", ref, "cat", "/stamp"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout


def _forget_locally(repo: str) -> None:
    """Remove every local tag of the repository and the whole BuildKit cache."""
    out = subprocess.run(
        ["docker", "image", "ls", "--format", "{{.Repository}}:{{.Tag}}", repo],
        capture_output=True,
        text=True,
    )
    refs = out.stdout.split()
    if refs:
        subprocess.run(["docker", "image", "rm", "-f", *refs], capture_output=True, check=True)
    subprocess.run(["docker", "builder", "prune", "-af"], capture_output=True, check=True)


def _events(err: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in err.splitlines() if line.startswith("{")]


@pytest.mark.docker
@pytest.mark.buildx
@pytest.mark.registry
def test_registry_cache_survives_a_pruned_builder(
    cache_project: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    root, repo = cache_project
    build_file = str(root / "build_images.py")
    cache = f"type=registry,ref={repo.rsplit('/', 1)[0]}/cache:buildcache"
    assert main(argv=["-f", build_file, "build", "--json", "--cache-to", cache + ",mode=max"]) == 0
    capsys.readouterr()
    first = _stamp(f"{repo}:1.0.0")
    _forget_locally(repo)
    assert main(argv=["-f", build_file, "build", "--json", "--cache-from", cache]) == 0
    lines = [str(e["line"]) for e in _events(capsys.readouterr().err) if e["event"] == "log"]
    assert any("importing cache manifest from" in line for line in lines), "\n".join(lines)
    # the RUN step was not executed again: its output (a nanosecond timestamp) came from the registry cache.
    # (BuildKit usually also prints "#N CACHED" for it, but not always when the layer is pulled lazily.)
    assert _stamp(f"{repo}:1.0.0") == first, "\n".join(lines)


@pytest.mark.docker
@pytest.mark.buildx
@pytest.mark.registry
def test_configured_registry_cache_is_written_when_pushing(
    cache_project: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    from dockgen.registry import list_tags

    root, repo = cache_project
    (root / "pyproject.toml").write_text('[tool.dockgen.build]\ncache = "registry"\n')
    assert main(argv=["-f", str(root / "build_images.py"), "build", "--push", "--quiet"]) == 0, (
        capsys.readouterr()
    )
    assert "buildcache" in list_tags(repo)
