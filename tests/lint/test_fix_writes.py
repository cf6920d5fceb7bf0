"""``lint --fix`` writes back safely: temp file + rename on a real full disk (tmpfs), a concurrent edit is
refused, symlinks/mode/owner survive, and a read-only file is a per-file error while the others are fixed."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dockgen.lint.engine import WRITE_CODE, FileResult, Linter

BAD = "FROM debian:bookworm\nrun echo hi\n"  # lowercase instruction: a safe casing fix


def dockgen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dockgen", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs: room for one copy of a ~45 KB Dockerfile, not two."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    where = tmp_path / "disk"
    where.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(where)], check=True)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def big_dockerfile() -> bytes:
    lines = ["FROM debian:bookworm"]
    for i in range(750):
        lines.append(f"run echo line-number-{i:05d}")
        lines.append(f"ENV V{i:05d}=value-of-the-variable")
    return ("\n".join(lines) + "\n").encode()


def test_full_disk_leaves_the_file_whole(tiny_disk: Path) -> None:
    original = big_dockerfile()
    assert len(original.splitlines()) == 1501 and len(original) > 40_000
    df = tiny_disk / "Dockerfile"
    df.write_bytes(original)
    proc = dockgen("lint", "--fix", "Dockerfile", cwd=tiny_disk)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert "no space left" in proc.stdout and WRITE_CODE in proc.stdout
    assert df.read_bytes() == original  # it used to be truncated at 64 KiB mid-instruction
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["Dockerfile"]  # no temp file left behind


def test_concurrent_edit_is_refused_not_overwritten(tmp_path: Path) -> None:
    df = tmp_path / "Dockerfile"
    df.write_text(BAD)

    class OtherWriterMeanwhile(Linter):
        """Between dockgen's read and its write, another process appends a line (a real write on disk)."""

        def fix_text(self, text: str, path: str, **kw: object) -> FileResult:
            result = super().fix_text(text, path, **kw)  # type: ignore[arg-type]
            subprocess.run(["sh", "-c", f"echo 'LABEL other=writer' >> {df}"], check=True)
            return result

    result = OtherWriterMeanwhile().fix_file(df)
    assert df.read_text() == BAD + "LABEL other=writer\n"
    assert result.findings[0].code == WRITE_CODE
    assert "changed on disk since dockgen read it" in result.findings[0].message
    assert [p.name for p in tmp_path.iterdir()] == ["Dockerfile"]


def test_symlink_mode_and_owner_survive(tmp_path: Path) -> None:
    real = tmp_path / "real" / "Dockerfile.prod"
    real.parent.mkdir()
    real.write_text(BAD)
    os.chmod(real, 0o640)
    if os.geteuid() == 0:
        os.chown(real, 1234, 2345)
    link = tmp_path / "Dockerfile"
    link.symlink_to(Path("real") / "Dockerfile.prod")
    proc = dockgen("lint", "--fix", "Dockerfile", cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    assert link.is_symlink() and os.readlink(link) == str(Path("real") / "Dockerfile.prod")
    assert "RUN echo hi" in real.read_text()
    st = real.stat()
    assert oct(st.st_mode & 0o777) == oct(0o640)
    if os.geteuid() == 0:
        assert (st.st_uid, st.st_gid) == (1234, 2345)


def test_read_only_file_is_a_per_file_error(tmp_path: Path) -> None:
    locked = tmp_path / "a" / "Dockerfile"
    other = tmp_path / "b" / "Dockerfile"
    for p in (locked, other):
        p.parent.mkdir()
        p.write_text(BAD)
    os.chmod(locked, 0o444)
    proc = dockgen("lint", "--fix", "a/Dockerfile", "b/Dockerfile", cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert "read-only" in proc.stdout
    assert locked.read_text() == BAD
    assert "RUN echo hi" in other.read_text()


def test_read_only_file_system(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    where = tmp_path / "ro"
    where.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(where)], check=True)
    try:
        (where / "Dockerfile").write_text(BAD)
        subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)
        proc = dockgen("lint", "--fix", str(where / "Dockerfile"), cwd=tmp_path)
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert "read-only" in proc.stdout and "Traceback" not in proc.stderr
        assert (where / "Dockerfile").read_text() == BAD
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)
