"""DG032: files created in one layer and deleted in a later one."""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Iterator

from dockgen._record import record
from dockgen.ir import IRInstruction
from dockgen.lint.rule import Finding, LintContext, Rule, Severity
from dockgen.shell.argv import has_flag
from dockgen.shell.run import cache_mount_covers, run_commands
from dockgen.shell.syntax import Command


@record(frozen=True)
class Created:
    path: str
    line: int
    how: str
    tree: bool = False


def _join(cwd: str | None, path: str) -> str | None:
    if "$" in path or "`" in path or path.startswith("~"):
        if path.startswith(("~/", "$HOME/")) or path in ("~", "$HOME"):
            return posixpath.normpath("/root/" + path.split("/", 1)[1]) if "/" in path else "/root"
        return None
    if path.startswith("/"):
        return posixpath.normpath(path)
    if cwd is None:
        return None
    return posixpath.normpath(posixpath.join(cwd, path))


def _url_name(url: str) -> str | None:
    tail = url.split("?", 1)[0].split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return tail if tail and "://" in url and "$" not in tail else None


def _option(cmd: Command, short: str, long: str) -> str | None:
    words = [w.text for w in cmd.args]
    for i, w in enumerate(words):
        if w in (short, long) and i + 1 < len(words):
            return words[i + 1]
        if long and w.startswith(long + "="):
            return w.split("=", 1)[1]
        if short and w.startswith(short) and len(w) > 2 and not w.startswith("--"):
            return w[2:]
    return None


def _downloads(cmd: Command, cwd: str | None) -> list[str]:
    urls = [w.text for w in cmd.args if "://" in w.text]
    out: list[str] = []
    if cmd.name == "wget":
        target = _option(cmd, "-O", "--output-document")
        if target is not None:
            if target != "-":
                out.append(target)
        else:
            prefix = _option(cmd, "-P", "--directory-prefix")
            for u in urls:
                name = _url_name(u)
                if name:
                    out.append(posixpath.join(prefix, name) if prefix else name)
    elif cmd.name == "curl":
        target = _option(cmd, "-o", "--output")
        if target is not None and target != "-":
            out.append(target)
        elif has_flag(cmd, "-O", "--remote-name", value_flags="odHuXAbceEKmrTwxyYzCFPQtU"):
            for u in urls:
                name = _url_name(u)
                if name:
                    out.append(name)
    elif cmd.name == "git" and len(cmd.args) >= 2 and cmd.args[0].text == "clone":
        operands = [w.text for w in cmd.args[1:] if not w.text.startswith("-")]
        if len(operands) >= 2:
            out.append(operands[1])
        elif operands:
            out.append(operands[0].rstrip("/").rsplit("/", 1)[-1].removesuffix(".git"))
    resolved = [_join(cwd, p) for p in out]
    return [p for p in resolved if p]


def _covers(pattern: str, path: str) -> bool:
    """True when deleting ``pattern`` (a path or glob) deletes ``path``."""
    if pattern == "/":
        return False
    if any(c in pattern for c in "*?["):
        parts = path.split("/")
        return any(fnmatch.fnmatchcase("/".join(parts[:n]), pattern) for n in range(2, len(parts) + 1))
    return path == pattern or path.startswith(pattern.rstrip("/") + "/")


class FileDeletedInLaterLayer(Rule):
    """
    ## What it does
    Follows, per stage, files that instructions create — `COPY`/`ADD` destinations, downloads
    (`wget`, `curl -o`/`-O`), `git clone`, the apt package lists of `apt-get update` — and flags an `rm` in a
    *later* `RUN` that deletes them (or a directory containing them). Relative paths are resolved against
    `WORKDIR` and `cd`. Deleting in the same `RUN` that created the file is the right pattern and is not
    flagged; neither are paths under a `--mount` of the deleting `RUN`.

    ## Why is this bad?
    Layers only add: a file deleted in a later layer is hidden, but its bytes are still in the earlier layer,
    pulled and stored with the image. Download, use and delete in one `RUN`, copy archives from a builder
    stage or with `RUN --mount=type=bind`, and keep unwanted files out of `COPY` with `.dockerignore`.

    ## Example
    ```dockerfile
    FROM debian:bookworm-slim
    RUN wget -q -O /tmp/tool.tar.gz https://example.com/tool.tar.gz
    RUN tar -xzf /tmp/tool.tar.gz -C /opt
    RUN rm /tmp/tool.tar.gz
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm-slim
    RUN wget -q -O /tmp/tool.tar.gz https://example.com/tool.tar.gz && tar -xzf /tmp/tool.tar.gz -C /opt && rm /tmp/tool.tar.gz
    ```

    ## References
    - no equivalent in hadolint, BuildKit, Trivy or Checkov
    - https://docs.docker.com/build/building/best-practices/#minimize-the-number-of-layers
    """

    code = "DG032"
    name = "file-deleted-in-later-layer"
    severity = Severity.WARNING
    message = "deleting files created in an earlier layer does not make the image smaller"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for stage in ctx.stages:
            yield from self._stage(stage.instructions)

    def _stage(self, instructions: tuple[IRInstruction, ...]) -> Iterator[Finding]:
        earlier: list[Created] = []
        workdir = "/"
        for ins in instructions:
            if ins.keyword == "WORKDIR" and ins.args:
                joined = _join(workdir, ins.args[0])
                workdir = joined if joined else workdir
            elif ins.keyword in ("COPY", "ADD") and len(ins.args) >= 2:
                dest = _join(workdir, ins.args[-1])
                if dest is None:
                    continue
                sources = ins.args[:-1]
                how = f"{ins.keyword} at line {ins.line}"
                for src in sources:
                    base = src.rstrip("/").rsplit("/", 1)[-1]
                    if src.startswith("<<") or (ins.args[-1].endswith("/") and base not in ("", ".")):
                        name = base if not src.startswith("<<") else ""
                        if name and not any(c in name for c in "*?["):
                            earlier.append(Created(posixpath.join(dest, name), ins.line, how))
                        else:
                            earlier.append(Created(dest, ins.line, how))
                    else:
                        tree = src in (".", "./") or src.endswith("/")
                        earlier.append(Created(dest, ins.line, how, tree))
            elif ins.keyword == "RUN":
                finding, current = self._run(ins, earlier, workdir)
                if finding is not None:
                    yield finding
                earlier.extend(current)

    def _run(
        self, ins: IRInstruction, earlier: list[Created], workdir: str
    ) -> tuple[Finding | None, list[Created]]:
        cwd: str | None = workdir
        current: list[Created] = []
        finding: Finding | None = None
        how = f"the RUN at line {ins.line}"
        for cmd in run_commands(ins):
            if cmd.name == "cd" and cmd.depth == 0:
                where = next((w.text for w in cmd.args if not w.text.startswith("-")), "/root")
                cwd = _join(cwd, where)
                continue
            if cmd.name == "rm":
                for w in cmd.args:
                    if w.text.startswith("-"):
                        continue
                    target = _join(cwd, w.text)
                    if target is None or cache_mount_covers(ins, target) or _bind_covers(ins, target):
                        continue
                    own = [c for c in current if _covers(target, c.path)]
                    if own:
                        current = [c for c in current if c not in own]
                        continue
                    hit = next((c for c in earlier if _covers(target, c.path)), None)
                    deleted = hit.path if hit is not None else ""
                    if hit is None:
                        hit = next(
                            (c for c in earlier if c.tree and target.startswith(c.path.rstrip("/") + "/")),
                            None,
                        )
                        deleted = target
                    if hit is not None and finding is None:
                        advice = (
                            "keep it out of the build context with .dockerignore"
                            if hit.tree
                            else "create, use and delete it in one RUN"
                        )
                        finding = self.finding(
                            ins,
                            f"rm {w.text} deletes {deleted}, created by {hit.how}: the bytes stay in that layer; "
                            + advice,
                        )
                    earlier[:] = [c for c in earlier if not _covers(target, c.path)]
                continue
            for path in _downloads(cmd, cwd):
                if not cache_mount_covers(ins, path):
                    current.append(Created(path, ins.line, how, tree=cmd.name == "git"))
            if (
                cmd.name in ("apt-get", "apt")
                and any(w.text == "update" for w in cmd.args)
                and not cache_mount_covers(ins, "/var/lib/apt/lists")
            ):
                current.append(Created("/var/lib/apt/lists/partial", ins.line, how))
        return finding, current


def _bind_covers(ins: IRInstruction, path: str) -> bool:
    for m in ins.mounts:
        target = (m.get("target") or "").rstrip("/")
        if target and (path == target or path.startswith(target + "/")):
            return True
    return False
