"""DG025: a downloaded script piped straight into a shell or interpreter."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen._lazyre import lazy_compile
from dockgen.ir import IRInstruction
from dockgen.lint.rule import Finding, InstructionRule, LintContext, Severity
from dockgen.shell.run import run_commands
from dockgen.shell.syntax import SHELLS, chains

DOWNLOADERS = frozenset({"curl", "wget", "fetch"})
_INTERPRETER = lazy_compile(r"^(?:python[0-9.]*|perl|ruby|node|php|pwsh)$")
_SUBST = lazy_compile(r"(?:\$\(|<\(|`)\s*(?:curl|wget)\b")


def _runs_code(name: str) -> bool:
    return name in SHELLS or bool(_INTERPRETER.match(name)) or name in ("eval", "source", ".", "sudo")


class RemoteScriptPipedToShell(InstructionRule):
    """
    ## What it does
    Flags downloads executed without being looked at: `curl ... | sh`, `wget -O- ... | bash`,
    `curl ... | python3 -`, `sh -c "$(curl ...)"`, `bash <(curl ...)` and `eval "$(wget -O- ...)"`.

    ## Why is this bad?
    Whatever the server returns at build time runs as root in your image: a compromised or changed script, a
    truncated download (the shell runs half a script), or an HTML error page. Download to a file, verify a
    checksum or signature, then run it; better, install a pinned release artefact or package.

    ## Example
    ```dockerfile
    FROM debian:bookworm-slim
    RUN curl -fsSL https://example.com/install.sh | sh
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm-slim
    ADD --checksum=sha256:4c1d2a0f9f4c3f2b8e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f https://example.com/install.sh /tmp/install.sh
    RUN sh /tmp/install.sh && rm /tmp/install.sh
    ```

    ## References
    - no equivalent in hadolint, BuildKit, Trivy or Checkov
    - https://docs.docker.com/reference/dockerfile/#add---checksum
    """

    code = "DG025"
    name = "remote-script-piped-to-shell"
    severity = Severity.WARNING
    message = "a downloaded script is run without verification"
    keywords = frozenset({"RUN"})
    include_onbuild = True

    def check_instruction(self, ins: IRInstruction, ctx: LintContext) -> Iterable[Finding]:
        cmds = run_commands(ins)
        for chain in chains(cmds):
            names = [c.name for c in chain]
            for i, name in enumerate(names[:-1]):
                if name in DOWNLOADERS and any(_runs_code(n) for n in names[i + 1 :]):
                    runner = next(n for n in names[i + 1 :] if _runs_code(n))
                    yield self.finding(
                        ins, f"{name} output is piped into {runner}: download, verify, then run"
                    )
                    return
        for cmd in cmds:
            if _runs_code(cmd.name) and any(_SUBST.search(w.raw) for w in cmd.args):
                yield self.finding(
                    ins, f"{cmd.name} runs a script downloaded on the fly: download, verify, then run"
                )
                return
