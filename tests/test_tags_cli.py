"""``dockgen tags`` in-process: standalone, from declared images, in a real git repository, against a real registry."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests

from dockgen.cli import Context, build_parser, main
from dockgen.errors import DockgenError, UsageError
from dockgen.tags import TagPolicy
from tests.support.infra import PLAIN_REGISTRY, require_registry, unique_repo

STANDALONE = ["tags", "--name", "myapp", "--registry", "registry.example.com", "--namespace", "team"]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty directory outside any git repository, with no CI variables."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    for name in ("GITHUB_RUN_NUMBER", "CI_PIPELINE_IID", "BUILD_NUMBER", "SOURCE_DATE_EPOCH", "DOCKGEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    rc = main(argv=list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def init_repo(path: Path) -> str:
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.email", "t@example.com")
    git(path, "config", "user.name", "t")
    (path / "app.py").write_text("print('hi')\n")
    git(path, "add", "app.py")
    git(path, "commit", "-q", "-m", "initial")
    return git(path, "rev-parse", "HEAD")


# --------------------------------------------------------------------------------------------------------
# standalone (no build file): the CI-script use
# --------------------------------------------------------------------------------------------------------


def test_standalone_prints_references(capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    rc, out, err = run(capsys, *STANDALONE, "--version", "1.2.3")
    assert rc == 0
    assert out.splitlines() == [
        "registry.example.com/team/myapp:1.2.3",
        "registry.example.com/team/myapp:1.2",
        "registry.example.com/team/myapp:1",
        "registry.example.com/team/myapp:latest",
    ]
    assert "version 1.2.3 from --version" in err
    assert "no existing tags given" in err


def test_existing_tags_hold_back_moving_tags(capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    rc, out, err = run(
        capsys, *STANDALONE, "--version", "1.1.9", "--existing", "2.0.0,1.1.8", "--existing", "1.2.0"
    )
    assert rc == 0
    assert out.splitlines() == [
        "registry.example.com/team/myapp:1.1.9",
        "registry.example.com/team/myapp:1.1",
    ]
    assert "no existing tags given" not in err


def test_env_suffix(capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    rc, out, _ = run(capsys, "tags", "--name", "web", "--registry", "registry.example.com", "--namespace", "frontend", "--version", "2.1.0", "--env", "prod", "--existing", "2.1.3-prod")  # fmt: skip
    assert rc == 0
    assert out.splitlines() == ["registry.example.com/frontend/web:2.1.0-prod"]


def test_explain(capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    rc, out, _ = run(capsys, *STANDALONE, "--version", "1.2.3", "--existing", "1.2.7", "--explain")
    assert rc == 0
    lines = out.splitlines()
    assert lines[0] == "registry.example.com/team/myapp  (version 1.2.3 from --version)"
    assert any(line.startswith("  + 1.2.3 ") and "full version 1.2.3" in line for line in lines)
    assert any(line.startswith("  - 1.2 ") and "1.2 withheld: 1.2.7 exists" in line for line in lines)
    assert any("sha withheld: no git commit" in line for line in lines)


def test_json(capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    rc, out, _ = run(capsys, *STANDALONE, "--version", "1.2.0-rc.1", "--json")
    assert rc == 0
    assert json.loads(out) == [
        {
            "image": "myapp",
            "reference": "registry.example.com/team/myapp:1.2.0-rc.1",
            "tag": "1.2.0-rc.1",
            "reason": "full version 1.2.0-rc.1",
            "given": True,
        }
    ]
    rc, out, _ = run(capsys, *STANDALONE, "--version", "1.2.0-rc.1", "--json", "--explain")
    rows = json.loads(out)
    assert {r["tag"]: r["given"] for r in rows if r["tag"]} == {
        "1.2.0-rc.1": True,
        "1.2": False,
        "1": False,
        "latest": False,
    }


def test_policy_overrides(
    capsys: pytest.CaptureFixture[str], workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setenv("GITHUB_RUN_NUMBER", "88")
    rc, out, _ = run(
        capsys, "tags", "--name", "app", "--version", "0.3.1",
        "--policy", "major_zero=true", "--policy", "latest=false", "--policy", "timestamp=true",
        "--policy", "build_number=true", "--template", "v{version}-{build_number}",
    )  # fmt: skip
    assert rc == 0
    assert out.splitlines() == [
        "app:0.3.1",
        "app:0.3",
        "app:0",
        "app:20231114221320",
        "app:build-88",
        "app:v0.3.1-88",
    ]


BAD = [
    ("no-build-file", ["tags", "--version", "1.0.0"], 2, "no build file here", "--name"),
    ("bad-version", [*STANDALONE, "--version", "one"], 1, "neither a SemVer", "template"),
    ("epoch", [*STANDALONE, "--version", "1!2.0"], 1, "epoch", "--version"),
    ("bad-policy-key", [*STANDALONE, "--policy", "lates=false"], 2, "lates", "policy fields"),
    ("bad-policy-form", [*STANDALONE, "--policy", "latest"], 2, "KEY=VALUE", "branch=true"),
    (
        "bad-template",
        [*STANDALONE, "--template", "{version}-{commit}"],
        2,
        "unknown placeholder {commit}",
        "policy fields",
    ),
    ("bad-sha-length", [*STANDALONE, "--sha-length", "2"], 2, "sha_length", "policy fields"),
    ("bad-name", ["tags", "--name", "MyApp", "--version", "1.0.0"], 1, "component 'MyApp'", "'myapp'"),
    (
        "bad-registry",
        [*STANDALONE[:4], "https://r.io", "--version", "1.0.0"],
        1,
        "not a valid registry host",
        "no scheme",
    ),
    ("bad-env", [*STANDALONE, "--version", "1.0.0", "--env", "Prod!"], 1, "cannot be a tag suffix", "prod"),
    ("no-tags", [*STANDALONE], 1, "no tags computed", "--version"),
    ("image-with-name", [*STANDALONE, "--image", "x"], 2, "--image selects images", None),
]


@pytest.mark.parametrize(("argv", "code", "needle", "hint"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_user_errors(
    capsys: pytest.CaptureFixture[str],
    workdir: Path,
    argv: list[str],
    code: int,
    needle: str,
    hint: str | None,
) -> None:
    rc, out, err = run(capsys, *argv)
    assert rc == code, err
    assert out == ""
    assert "error: " in err and needle in err.split("error: ", 1)[1]
    assert "Traceback" not in err
    if hint:
        assert "hint:" in err and hint in err


def test_registry_read_as_docker_hub_warns(capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    rc, out, err = run(
        capsys, "tags", "--version", "1.2.3", "--name", "myapp", "--registry", "r", "--namespace", "team"
    )
    assert rc == 0 and out.splitlines()[0] == "r/team/myapp:1.2.3"
    assert "Docker Hub" in err


# --------------------------------------------------------------------------------------------------------
# version and git state from the working directory
# --------------------------------------------------------------------------------------------------------


def test_version_and_sha_from_git(capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    sha = init_repo(workdir)
    git(workdir, "tag", "v2.0.0")
    rc, out, err = run(capsys, "tags", "--name", "app", "--sha-length", "10", "--policy", "branch=true")
    assert rc == 0, err
    assert out.splitlines() == [
        "app:2.0.0",
        "app:2.0",
        "app:2",
        "app:latest",
        f"app:sha-{sha[:10]}",
        "app:main",
    ]
    assert "from git tag v2.0.0" in err


def test_dev_build_from_git(capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    init_repo(workdir)
    git(workdir, "tag", "v2.0.0")
    (workdir / "app.py").write_text("print('changed')\n")
    git(workdir, "commit", "-qam", "change")
    sha = git(workdir, "rev-parse", "HEAD")
    rc, out, err = run(capsys, "tags", "--name", "app")
    assert rc == 0
    assert out.splitlines() == [f"app:2.0.1-dev.1_g{sha[:7]}", f"app:sha-{sha[:7]}"]
    assert "1 commit after git tag v2.0.0" in err


def test_version_from_pyproject(capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    (workdir / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "3.1.0"\n')
    rc, out, err = run(capsys, "tags", "--name", "app", "--policy", "sha=false")
    assert rc == 0
    assert out.splitlines() == ["app:3.1.0", "app:3.1", "app:3", "app:latest"]
    assert "from pyproject.toml [project]" in err


def test_bad_pyproject_is_located(capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    (workdir / "pyproject.toml").write_text('[project]\nversion = "3.1\n')
    rc, _, err = run(capsys, "tags", "--name", "app")
    assert rc == 2
    assert "pyproject.toml:2:" in err


# --------------------------------------------------------------------------------------------------------
# declared images (ctx.images())
# --------------------------------------------------------------------------------------------------------


def image(name: str, **fields: object) -> SimpleNamespace:
    """Duck-typed like dockgen.models.Image: name, registry, namespace, version, env, tags."""
    base: dict[str, object] = {
        "registry": None,
        "namespace": None,
        "version": None,
        "env": None,
        "tags": None,
    }
    return SimpleNamespace(name=name, **{**base, **fields})


def run_with_images(tmp_path: Path, images: list[SimpleNamespace], *argv: str) -> tuple[int, str, str]:
    parser, commands = build_parser()
    args = parser.parse_args(["tags", *argv])
    out, err = io.StringIO(), io.StringIO()
    ctx = Context(
        build_file=tmp_path / "build_images.py", given_images=[], stdout=out, stderr=err, _images=images
    )
    rc = commands["tags"].run(args, ctx)
    return rc, out.getvalue(), err.getvalue()


IMAGES = [
    image("web", registry="registry.example.com", namespace="frontend", version="2.1.0", env="prod"),
    image(
        "worker",
        registry="registry.example.com",
        namespace="backend",
        version="1.0.0-rc.1",
        tags=TagPolicy(sha_prefix="git-"),
    ),
    image("batch", version="0.4.0", tags={"major_zero": True, "latest": False, "sha": False}),
]


def test_images_from_declarations(tmp_path: Path, workdir: Path) -> None:
    rc, out, _ = run_with_images(tmp_path, IMAGES)
    assert rc == 0
    assert out.splitlines() == [
        "registry.example.com/frontend/web:2.1.0-prod",
        "registry.example.com/frontend/web:2.1-prod",
        "registry.example.com/frontend/web:2-prod",
        "registry.example.com/frontend/web:latest-prod",
        "registry.example.com/backend/worker:1.0.0-rc.1",
        "batch:0.4.0",
        "batch:0.4",
        "batch:0",
    ]


def test_select_images_and_override(tmp_path: Path, workdir: Path) -> None:
    rc, out, _ = run_with_images(tmp_path, IMAGES, "--image", "web", "--version", "2.2.0", "--env", "staging", "--registry", "localhost:5000")  # fmt: skip
    assert rc == 0
    assert out.splitlines()[0] == "localhost:5000/frontend/web:2.2.0-staging"
    assert len(out.splitlines()) == 4


def test_unknown_image(tmp_path: Path, workdir: Path) -> None:
    with pytest.raises(UsageError, match="no image named nope") as err:
        run_with_images(tmp_path, IMAGES, "--image", "nope")
    assert "batch, web, worker" in str(err.value)


def test_bad_declared_policy(tmp_path: Path, workdir: Path) -> None:
    with pytest.raises(DockgenError, match="image 'x': invalid tag policy: lates"):
        run_with_images(tmp_path, [image("x", version="1.0.0", tags={"lates": False})])


# --------------------------------------------------------------------------------------------------------
# --existing-from-registry against the real local registry
# --------------------------------------------------------------------------------------------------------


def _push(repo: str, tags: list[str]) -> None:
    """Push a tiny OCI image under ``tags`` straight through the distribution API."""
    base = f"http://{PLAIN_REGISTRY}/v2/{repo}"
    blobs = {}
    for content in (b"{}", b"layer"):
        digest = "sha256:" + hashlib.sha256(content).hexdigest()
        start = requests.post(f"{base}/blobs/uploads/", timeout=10)
        start.raise_for_status()
        location = start.headers["Location"]
        url = location if location.startswith("http") else f"http://{PLAIN_REGISTRY}{location}"
        sep = "&" if "?" in url else "?"
        put = requests.put(f"{url}{sep}digest={digest}", data=content, timeout=10, headers={"Content-Type": "application/octet-stream"})  # fmt: skip
        put.raise_for_status()
        blobs[content] = digest
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": blobs[b"{}"],
            "size": 2,
        },
        "layers": [
            {"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": blobs[b"layer"], "size": 5}
        ],
    }
    for tag in tags:
        r = requests.put(
            f"{base}/manifests/{tag}",
            data=json.dumps(manifest),
            headers={"Content-Type": "application/vnd.oci.image.manifest.v1+json"},
            timeout=10,
        )
        r.raise_for_status()


@pytest.mark.registry
def test_existing_from_registry(
    capsys: pytest.CaptureFixture[str], workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_registry(PLAIN_REGISTRY)
    monkeypatch.setenv("DOCKGEN_INSECURE_REGISTRIES", PLAIN_REGISTRY)
    repo = unique_repo("tags")
    namespace, name = repo.split("/")
    _push(repo, ["2.0.0", "2.0", "2", "latest", "1.4.2", "1.4", "1", "sha-abc1234"])
    argv = [
        "tags",
        "--name",
        name,
        "--namespace",
        namespace,
        "--registry",
        PLAIN_REGISTRY,
        "--existing-from-registry",
    ]
    rc, out, err = run(capsys, *argv, "--version", "1.4.3", "--explain")
    assert rc == 0, err
    assert "1.4.3 is the highest 1.4.x (highest existing: 1.4.2)" in out
    assert "latest withheld: 2.0.0 exists" in out
    rc, out, err = run(capsys, *argv, "--version", "1.4.3")
    assert [line.rsplit(":", 1)[1] for line in out.splitlines()] == ["1.4.3", "1.4", "1"]
    # a repository that does not exist yet has no tags: everything is a first release
    rc, out, err = run(capsys, "tags", "--name", "fresh", "--namespace", unique_repo("tags").replace("/", "-"), "--registry", PLAIN_REGISTRY, "--existing-from-registry", "--version", "0.1.0")  # fmt: skip
    assert rc == 0, err
    assert [line.rsplit(":", 1)[1] for line in out.splitlines()] == ["0.1.0", "0.1", "latest"]


BUILD_FILE = """\
import dockgen
from dockgen.models import Image, Stage
from dockgen.tags import TagPolicy

images = [
    Image("web", registry="registry.example.com", team="frontend", version="2.1.0", env="prod",
          stages=[Stage(base="debian:bookworm")]),
    Image("api", registry="registry.example.com", namespace="backend", version="2.1.0",
          stages=[Stage(base="debian:bookworm")], tags=TagPolicy(latest=False, sha=False),
          dockerfile="api.Dockerfile"),
]

if __name__ == "__main__":
    dockgen.main(images)
"""


def test_real_build_file(capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    (workdir / "build_images.py").write_text(BUILD_FILE)
    rc, out, err = run(capsys, "tags", "--existing", "2.1.4-prod,2.2.0")
    assert rc == 0, err
    assert out.splitlines() == [
        "registry.example.com/frontend/web:2.1.0-prod",
        "registry.example.com/backend/api:2.1.0",
        "registry.example.com/backend/api:2.1",
    ]
    rc, out, err = run(capsys, "tags", "--image", "api", "--version", "2.3.0", "--json")
    assert rc == 0, err
    assert [row["reference"] for row in json.loads(out)] == [
        "registry.example.com/backend/api:2.3.0",
        "registry.example.com/backend/api:2.3",
        "registry.example.com/backend/api:2",
    ]
