"""Declaration models: construction, validation errors with field paths, cross-image checks."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from dockgen import (
    Apt,
    CacheMount,
    Cmd,
    Copy,
    Env,
    Expose,
    Healthcheck,
    Heredoc,
    Image,
    Run,
    Stage,
    User,
    validate_images,
)
from dockgen.errors import DeclarationError, DockgenError


def _image(**kw: Any) -> Image:
    return Image(name=kw.pop("name", "app"), stages=kw.pop("stages", [Stage(base="debian:bookworm")]), **kw)


def test_models_are_frozen_and_reject_unknown_fields() -> None:
    run = Run("make")
    with pytest.raises(ValidationError):
        run.command = "other"  # type: ignore[misc]
    with pytest.raises(DeclarationError, match=r"Run\(\.\.\.\)\.comand: Extra inputs are not permitted"):
        Run(comand="make")  # type: ignore[call-arg]


def test_error_names_build_file_line_path_reason_and_value() -> None:
    with pytest.raises(DeclarationError) as info:
        Stage(base="debian:bookworm", user=5)  # type: ignore[arg-type]
    text = str(info.value)
    assert "test_declarations.py:" in text.splitlines()[0]
    assert "Stage(...).user: Input should be a valid string (got 5)" in text


def test_positional_arguments() -> None:
    assert Run("make").command == "make"
    assert Copy("a", "/b/").src == ["a"]
    assert Copy(["a", "b"], "/c/").dest == "/c/"
    assert Expose(8080).ports == [8080]
    assert User("10001").user == "10001"
    with pytest.raises(DeclarationError, match="at most 1 positional"):
        Run("a", "b")  # type: ignore[call-arg]
    with pytest.raises(DeclarationError, match="twice"):
        Run("a", command="b")  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(
            [{"name": "x", "stages": [{"base": "a"}, {"base": "b", "user": 5}]}],
            "build_images.py: images[0].stages[1].user: Input should be a valid string (got 5)",
            id="stage-user",
        ),
        pytest.param(
            [{"name": "x", "stages": []}],
            "build_images.py: images[0].stages: List should have at least 1 item",
            id="no-stages",
        ),
        pytest.param(
            [{"name": "Web", "stages": [{"base": "a"}]}],
            "images[0].name: repository 'Web'",
            id="bad-name",
        ),
        pytest.param(
            [{"name": "x", "stages": [{"base": "a", "steps": [{"kind": "run", "command": "a\nb"}]}]}],
            "images[0].stages[0].steps[0].command: a RUN command must be one line",
            id="multiline-run",
        ),
        pytest.param(
            [{"name": "x", "stages": [{"base": "a", "steps": [{"kind": "apt", "packages": ["curl; rm"]}]}]}],
            "images[0].stages[0].steps[0].packages: 'curl; rm' is not a package name",
            id="apt-injection",
        ),
        pytest.param(
            [
                {
                    "name": "x",
                    "stages": [
                        {
                            "base": "a",
                            "steps": [{"kind": "run", "command": "x", "mounts": [{"type": "cache"}]}],
                        }
                    ],
                }
            ],
            "images[0].stages[0].steps[0].mounts[0].target: Field required",
            id="mount-missing-target",
        ),
        pytest.param(
            [
                {
                    "name": "x",
                    "stages": [
                        {"base": "a", "steps": [{"kind": "healthcheck", "command": "x", "interval": "soon"}]}
                    ],
                }
            ],
            "images[0].stages[0].steps[0].interval: 'soon' is not a duration",
            id="duration",
        ),
        pytest.param([5], "images[0]: expected a dockgen.Image, got int", id="not-an-image"),
        pytest.param("web", "images: expected a list of dockgen.Image, got str", id="not-a-list"),
        pytest.param([], "images: the list is empty", id="empty"),
    ],
)
def test_validate_images_messages(raw: Any, expected: str) -> None:
    with pytest.raises(DeclarationError) as info:
        validate_images(raw, source="build_images.py")
    assert expected in str(info.value)
    assert "Traceback" not in str(info.value)
    assert "pydantic" not in str(info.value)


def test_validate_images_accepts_instances_and_dicts() -> None:
    app = _image()
    out = validate_images([app, {"name": "web", "context": "web", "stages": [{"base": "debian:bookworm"}]}])
    assert [i.name for i in out] == ["app", "web"]
    assert out[0] is app


def test_cross_image_checks() -> None:
    base = _image(name="base", context="base")
    app = _image(name="app", stages=[Stage(base=base)])
    assert app.depends_on == ("base",)
    assert validate_images([base, app])[1].depends_on == ("base",)
    with pytest.raises(
        DeclarationError, match=r"images\[0\]\.stages\[0\]\.base: image 'base' is not declared"
    ):
        validate_images([app])
    with pytest.raises(DeclarationError, match="duplicate image name 'app'"):
        validate_images([app, _image(name="app", context="other")])
    other_base = _image(name="base", context="base", version="2.0.0")
    with pytest.raises(DeclarationError, match="differs from the declared"):
        validate_images([other_base, app])
    with pytest.raises(DeclarationError, match=r"'Dockerfile' is also written for images\[0\]"):
        validate_images([_image(name="a"), _image(name="b")])
    with pytest.raises(DeclarationError, match=r"different \.dockerignore entries"):
        validate_images([_image(name="a"), _image(name="b", dockerfile="b.Dockerfile", dockerignore=["x"])])


def test_stage_checks() -> None:
    builder = Stage("builder", base="debian:bookworm")
    Image("app", stages=[builder, Stage(base=builder)])
    with pytest.raises(DeclarationError, match="not an earlier stage"):
        Image("app", stages=[Stage(base=builder)])
    with pytest.raises(DeclarationError, match="duplicate stage name"):
        Image("app", stages=[builder, builder])
    with pytest.raises(DeclarationError, match="target 'nope'"):
        Image("app", stages=[builder], target="nope")
    with pytest.raises(DeclarationError, match="reserved"):
        Stage("scratch", base="x")
    with pytest.raises(DeclarationError, match="needs a name"):
        Stage(base=Stage(base="x"))


def test_image_reference_and_paths() -> None:
    image = Image(
        "web",
        registry="registry.example.com",
        team="frontend",
        version="v1.2.3+abc",
        context="web",
        stages=[Stage(base="x")],
    )
    assert image.repository == "registry.example.com/frontend/web"
    assert image.reference() == "registry.example.com/frontend/web:1.2.3-abc"
    assert image.reference("dev") == "registry.example.com/frontend/web:dev"
    assert image.dockerfile_path == "web/Dockerfile"
    assert image.dockerignore_path == "web/.dockerignore"
    assert _image().reference() == "app:latest"


@pytest.mark.parametrize(
    ("build", "message"),
    [
        pytest.param(lambda: Run(), "RUN needs a command or a heredoc", id="empty-run"),
        pytest.param(
            lambda: Run(["a"], heredocs=[Heredoc("x")]), "heredocs need the shell form", id="heredoc-exec"
        ),
        pytest.param(
            lambda: Run("cat", heredocs=[Heredoc("x")]), "does not open heredoc", id="heredoc-marker"
        ),
        pytest.param(lambda: Heredoc("a\nEOF\nb"), "exactly the delimiter", id="heredoc-terminator"),
        pytest.param(lambda: Copy("a"), "needs a destination", id="copy-no-dest"),
        pytest.param(lambda: Copy("a", "/b", files={"/c": "x"}), "either files", id="copy-files-and-src"),
        pytest.param(lambda: Copy("a", "/b", chmod="rwx"), "must be octal", id="chmod"),
        pytest.param(lambda: Expose(70000), "outside 1..65535", id="port-range"),
        pytest.param(lambda: Env({}), "at least one key", id="env-empty"),
        pytest.param(lambda: Env({"A B": "1"}), "without '='", id="env-key"),
        pytest.param(lambda: Healthcheck(), "give a command", id="healthcheck-empty"),
        pytest.param(
            lambda: Healthcheck(disable=True, retries=3), "takes no command", id="healthcheck-none-opts"
        ),
        pytest.param(lambda: Cmd("a\nb"), "must be one line", id="cmd-newline"),
        pytest.param(lambda: Apt([]), "at least one package", id="apt-empty"),
        pytest.param(
            lambda: Run("x", mounts=[CacheMount("/c", sharing="all")]),
            "'shared', 'private' or 'locked'",
            id="sharing",
        ),
        pytest.param(lambda: Run("x", extra_flags=["device=x"]), "is not a flag", id="extra-flag"),
        pytest.param(
            lambda: Image("app", stages=[Stage(base="x")], directives={"foo": "1"}),
            "unknown parser directive",
            id="directive",
        ),
    ],
)
def test_instruction_validation(build: Any, message: str) -> None:
    with pytest.raises(
        DockgenError,
        match=message.replace("(", r"\(")
        .replace(")", r"\)")
        .replace(".", r"\.")
        .replace("*", r"\*")
        .replace("+", r"\+")
        .replace("[", r"\["),
    ):
        build()


def test_schema_is_valid_and_validates_example_data() -> None:
    import jsonschema

    from dockgen.schema import declarations_schema

    schema = declarations_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    good = [
        {
            "name": "web",
            "stages": [{"base": "debian:bookworm", "steps": [{"kind": "run", "command": "true"}]}],
        }
    ]
    jsonschema.validate(good, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{"name": "web", "stages": [{"base": "x", "user": 5}]}], schema)
