from __future__ import annotations

import os
from pathlib import Path

import pytest

from dockgen.errors import ConfigError
from dockgen.lint.config import ConfigLoader, LintConfig, find_config, load_config
from dockgen.lint.engine import Linter
from dockgen.lint.registry import RuleSet
from dockgen.lint.rule import Severity


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture(autouse=True)
def _fresh_discovery() -> None:
    find_config.cache_clear()


def test_discovery_walks_up_and_stops_at_first(tmp_path: Path) -> None:
    top = write(tmp_path / "dockgen.toml", "ignore = ['DG901']\n")
    inner = write(tmp_path / "svc" / ".dockgen.toml", "ignore = ['DG902']\n")
    (tmp_path / "svc" / "deep").mkdir()
    assert find_config(tmp_path / "svc" / "deep") == inner
    assert find_config(tmp_path) == top


def test_pyproject_counts_only_with_tool_dockgen(tmp_path: Path) -> None:
    top = write(tmp_path / "dockgen.toml", "")
    write(tmp_path / "a" / "pyproject.toml", "[project]\nname = 'x'\n")
    b = write(tmp_path / "b" / "pyproject.toml", "[tool.dockgen]\nignore = ['DG901']\n")
    assert find_config(tmp_path / "a") == top
    assert find_config(tmp_path / "b") == b
    assert load_config(b).ignore == ("DG901",)


def test_discovery_stops_at_git_root(tmp_path: Path) -> None:
    write(tmp_path / "dockgen.toml", "")
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "x").mkdir()
    assert find_config(tmp_path / "repo" / "x") is None


def test_dockgen_toml_wins_over_pyproject_in_same_dir(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.dockgen]\n")
    d = write(tmp_path / "dockgen.toml", "")
    assert find_config(tmp_path) == d


FULL = """
select = ["DG90"]
extend-select = ["DG906"]
ignore = ["test-maintainer", "DL3059"]
failure-threshold = "warning"
hadolint = true
context = "ctx"
trusted-registries = ["docker.io"]
test-knob = 3

[severity]
DG901 = "error"
DL3000 = "style"

[per-path-ignores]
"legacy/**" = ["DG903"]

[required-labels]
"org.opencontainers.image.version" = { type = "semver", required = true }
"org.opencontainers.image.url" = "url"
"""


def test_full_config(tmp_path: Path, ruleset: RuleSet) -> None:
    cfg = ConfigLoader(ruleset).for_path(write(tmp_path / "dockgen.toml", FULL).parent / "Dockerfile")
    assert cfg.select == ("DG90",)
    assert cfg.failure_threshold is Severity.WARNING
    assert cfg.hadolint is True
    assert cfg.context == (tmp_path / "ctx").resolve()
    assert cfg.options["allowed-registries"] == ["docker.io"]
    assert cfg.options["test-knob"] == 3
    assert cfg.options["required-labels"] == {
        "org.opencontainers.image.version": {"type": "semver", "required": True},
        "org.opencontainers.image.url": {"type": "url", "required": True},
    }
    resolved = cfg.resolved(ruleset)
    assert [r.code for r in resolved.rules] == ["DG901", "DG903", "DG904", "DG905", "DG906", "DG907"]
    assert resolved.severities == {"DG901": Severity.ERROR, "DG903": Severity.STYLE}
    assert [r.code for r in resolved.rules_for(str(tmp_path / "legacy" / "x" / "Dockerfile"))] == [
        "DG901",
        "DG904",
        "DG905",
        "DG906",
        "DG907",
    ]
    assert not resolved.foreign_enabled("DL3059", "Dockerfile")
    # select names no DL/SC id: every bridged hadolint finding not ignored is shown
    assert resolved.foreign_enabled("SC2086", "Dockerfile") is True
    narrowed = LintConfig(select=("DG901", "SC2086")).resolved(ruleset)
    assert narrowed.foreign_enabled("SC2086", "x") and not narrowed.foreign_enabled("DL3003", "x")


def test_options_reach_rules(tmp_path: Path, ruleset: RuleSet) -> None:
    write(
        tmp_path / "dockgen.toml", 'select = ["DG906"]\nallowed-registries = ["ghcr.io"]\ntest-knob = "on"\n'
    )
    f = write(tmp_path / "Dockerfile", "FROM a\n")
    report = Linter(ruleset).lint_paths([f])
    assert [x.message for x in report.findings] == ["allowed=['ghcr.io'] knob=on"]


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        pytest.param(
            "select = ['DG901']\nignroe = ['DG902']\n",
            "ignroe: unknown configuration key",
            2,
            id="unknown-key",
        ),
        pytest.param("\n\nignore = ['DG9999']\n", "'DG9999' names no dockgen rule", 3, id="unknown-code"),
        pytest.param("[severity]\nDG901 = 'fatal'\n", "unknown severity 'fatal'", 2, id="bad-severity"),
        pytest.param(
            "[severity]\nnot-a-rule = 'error'\n", "names no dockgen rule", 2, id="severity-unknown-rule"
        ),
        pytest.param(
            "failure-threshold = 'high'\n", "failure-threshold: must be one of", 1, id="bad-threshold"
        ),
        pytest.param("select = 'DG901\n", "invalid TOML", 1, id="toml-unterminated"),
        pytest.param("\nselect = = 1\n", "invalid TOML", 2, id="toml-syntax"),
        pytest.param("hadolint = 'yes'\n", "hadolint: must be true or false", 1, id="bad-bool"),
        pytest.param("ignore = [1]\n", "ignore: must be a list of strings", 1, id="bad-list"),
        pytest.param(
            "[required-labels]\nx = { type = 'semverr' }\n",
            "type 'semverr' is not one of",
            2,
            id="label-type",
        ),
        pytest.param(
            "[required-labels]\nx = { type = 'url', optional = true }\n",
            "unknown key(s) optional",
            2,
            id="label-key",
        ),
    ],
)
def test_config_errors_name_file_and_line(
    tmp_path: Path, ruleset: RuleSet, text: str, message: str, line: int
) -> None:
    path = write(tmp_path / "dockgen.toml", text)
    with pytest.raises(ConfigError) as err:
        ConfigLoader(ruleset).for_path(tmp_path / "Dockerfile")
    assert message in str(err.value)
    assert err.value.file == str(path)
    assert err.value.line == line


def test_foreign_ids_are_allowed_in_ignore(tmp_path: Path, ruleset: RuleSet) -> None:
    write(tmp_path / "dockgen.toml", "ignore = ['DL3059', 'SC2086']\n")
    cfg = ConfigLoader(ruleset).for_path(tmp_path / "Dockerfile")
    assert cfg.resolved(ruleset).foreign_ignored == {"DL3059", "SC2086"}


def test_other_commands_sections_are_left_alone(tmp_path: Path, ruleset: RuleSet) -> None:
    write(
        tmp_path / "pyproject.toml",
        "[tool.dockgen]\nignore = ['DG901']\n[tool.dockgen.build]\nanything = 1\n",
    )
    assert ConfigLoader(ruleset).for_path(tmp_path / "Dockerfile").ignore == ("DG901",)


def test_explicit_config_file_and_overrides(tmp_path: Path, ruleset: RuleSet) -> None:
    write(tmp_path / "dockgen.toml", "ignore = ['DG901']\n")
    other = write(tmp_path / "other.toml", "ignore = ['DG902']\n")
    loader = ConfigLoader(ruleset, explicit=other, overrides={"ignore": ["DG903"], "failure_threshold": None})
    cfg = loader.for_path(tmp_path / "Dockerfile")
    assert cfg.ignore == ("DG902", "DG903")
    assert cfg.failure_threshold is None
    with pytest.raises(ConfigError, match="config file not found"):
        ConfigLoader(ruleset, explicit=tmp_path / "nope.toml")


def test_command_line_unknown_code_is_reported(ruleset: RuleSet) -> None:
    with pytest.raises(ConfigError, match=r"<command line>.*'DG9999' names no dockgen rule"):
        ConfigLoader(ruleset, overrides={"select": ["DG9999"]}).for_path(None)


def test_select_replaces_default_set(ruleset: RuleSet) -> None:
    cfg = LintConfig(select=("DG903",))
    assert [r.code for r in cfg.resolved(ruleset).rules] == ["DG903"]


def test_config_discovery_follows_symlinked_directories(tmp_path: Path) -> None:
    """A Dockerfile reached through a symlinked directory is governed by the config above its real place;
    the per-directory resolution agrees with os.path.realpath for links, relative links and plain paths."""
    from dockgen.lint.config import _realpath, find_config

    real = tmp_path / "repo" / "svc" / "api"
    real.mkdir(parents=True)
    (tmp_path / "repo" / ".git").mkdir()
    (tmp_path / "repo" / "dockgen.toml").write_text("failure-threshold = 'error'\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "api").symlink_to(real)
    (elsewhere / "svc").symlink_to("../repo/svc")
    find_config.cache_clear()  # type: ignore[attr-defined]
    for d in (real, elsewhere / "api", elsewhere / "svc" / "api", elsewhere, tmp_path / "missing" / "dir"):
        assert _realpath(os.path.abspath(d)) == os.path.realpath(d), d
    assert find_config(elsewhere / "api") == tmp_path / "repo" / "dockgen.toml"
    assert find_config(elsewhere / "svc" / "api") == tmp_path / "repo" / "dockgen.toml"
    assert find_config(elsewhere) != tmp_path / "repo" / "dockgen.toml"  # not below the repository


def test_a_walk_tells_discovery_nothing_it_would_not_find_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Config discovery reuses the listings of the walk that finds Dockerfiles (no stat of its own for the
    walked directories); for every file found, through every spelling of the root, it answers what discovery
    without the walk answers, and knows each directory's real path."""
    from dockgen.lint.config import _realpath
    from dockgen.lint.engine import find_dockerfiles

    repo = tmp_path / "repo"
    write(repo / "dockgen.toml", "")
    write(repo / "a" / "Dockerfile", "FROM scratch\n")
    write(repo / "a" / "pyproject.toml", "[project]\nname = 'x'\n")  # no [tool.dockgen]: not a config
    write(repo / "b" / "pyproject.toml", "[tool.dockgen]\n")
    write(repo / "b" / "c" / "Dockerfile.dev", "FROM scratch\n")
    write(repo / "sub" / ".git", "gitdir: elsewhere\n")  # a submodule's .git is a file
    write(repo / "sub" / "Dockerfile", "FROM scratch\n")
    write(repo / "nested" / ".git" / "HEAD", "ref\n")
    write(repo / "nested" / "deep" / "Containerfile", "FROM scratch\n")
    write(repo / "d" / ".dockgen.toml", "")
    write(repo / "d" / "Dockerfile", "FROM scratch\n")
    (tmp_path / "link").symlink_to(repo)
    monkeypatch.chdir(tmp_path)

    def unseeded(directory: Path) -> Path | None:
        find_config.cache_clear()  # type: ignore[attr-defined]
        return find_config(directory)

    expected = {
        Path(os.path.realpath(p)): unseeded(Path(os.path.realpath(p)).parent) for p in find_dockerfiles(repo)
    }
    real_repo = Path(os.path.realpath(repo))
    assert {str(k.relative_to(real_repo)): v for k, v in expected.items()} == {
        "a/Dockerfile": real_repo / "dockgen.toml",
        "b/c/Dockerfile.dev": real_repo / "b" / "pyproject.toml",
        "sub/Dockerfile": None,  # its .git (a file) ends the search
        "nested/deep/Containerfile": None,
        "d/Dockerfile": real_repo / "d" / ".dockgen.toml",
    }
    for root in (repo, Path("repo"), Path("./repo/"), Path("link"), tmp_path / "link", Path("repo/b")):
        find_config.cache_clear()  # type: ignore[attr-defined]
        found = find_dockerfiles(root)
        assert found
        for path in found:
            real = Path(os.path.realpath(path))
            assert find_config(path.parent) == expected[real], (root, path)
            assert _realpath(os.path.abspath(path.parent)) == os.path.realpath(path.parent), (root, path)
