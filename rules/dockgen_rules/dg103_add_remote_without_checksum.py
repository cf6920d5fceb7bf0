"""DG103: ADD of a remote file without ``--checksum``."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen.ir import IRInstruction, expand
from dockgen.lint.rule import Finding, InstructionRule, LintContext, Severity
from dockgen.stages import env_before
from dockgen_rules._copy import sources


def _is_http_file(source: str) -> bool:
    low = source.lower()
    if not low.startswith(("http://", "https://")):
        return False
    path = low.split("?", 1)[0].split("#", 1)[0]
    return not path.endswith(".git")  # git sources are pinned by commit, not checksum


class AddRemoteWithoutChecksum(InstructionRule):
    """
    ## What it does
    Flags `ADD` of an `http(s)://` URL without `--checksum=sha256:...`, also when the URL comes from a
    variable whose `ARG`/`ENV` default is a URL (`ARG URL=https://...` then `ADD $URL /opt/`).

    ## Why is this bad?
    Whatever the server returns today goes into the image: a compromised or simply updated download changes
    the image silently, and the cache cannot tell. `ADD --checksum` makes the build fail when the bytes are not
    the ones you reviewed.

    ## Example
    ```dockerfile
    FROM debian:bookworm-slim
    ADD https://example.com/tool-1.2.tar.gz /opt/
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm-slim
    ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool-1.2.tar.gz /opt/
    ```

    ## References
    - https://docs.docker.com/reference/dockerfile/#add---checksum
    """

    code = "DG103"
    name = "add-remote-without-checksum"
    severity = Severity.INFO
    message = "ADD of a URL without --checksum"
    keywords = frozenset({"ADD"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        if ins.flag("checksum") is not None:
            return
        env: dict[str, str] | None = None
        for src in sources(ins):
            if "$" in src:  # ADD $URL: the ARG/ENV default says what it downloads
                env = env if env is not None else env_before(ctx.dockerfile, ins)
                src = expand(src, env)
            if _is_http_file(src):
                yield self.finding(
                    ins, f"ADD of '{src}' without --checksum: pin the download with --checksum=sha256:..."
                )
                return
