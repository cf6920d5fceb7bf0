"""DG107: the whole build context is copied before the dependencies are installed."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen.ir import Instruction
from dockgen.lint.rule import Finding, LintContext, Rule, Severity
from dockgen.shell import VALUE_OPTIONS, Command, has_flag, operands, program, run_commands, subcommand
from dockgen_rules.dg104_copy_of_ignored_path import context_sources

#: Manifest files to copy first, per installer.
MANIFESTS: dict[str, str] = {
    "pip": "requirements*.txt",
    "uv": "pyproject.toml and uv.lock",
    "poetry": "pyproject.toml and poetry.lock",
    "pipenv": "Pipfile and Pipfile.lock",
    "pdm": "pyproject.toml and pdm.lock",
    "npm": "package.json and package-lock.json",
    "yarn": "package.json and yarn.lock",
    "pnpm": "package.json and pnpm-lock.yaml",
    "go": "go.mod and go.sum",
    "bundle": "Gemfile and Gemfile.lock",
    "composer": "composer.json and composer.lock",
    "cargo": "Cargo.toml and Cargo.lock",
}


def dependency_install(cmd: Command) -> str | None:
    """The installer name when ``cmd`` installs dependencies from a manifest file, else None."""
    prog, first = program(cmd)
    found = subcommand(cmd, VALUE_OPTIONS.get(prog, ()), start=first)
    sub = found[1].text if found else ""
    if prog == "pip":
        if sub == "install" and has_flag(cmd, "-r", "--requirement", value_flags="r", start=first):
            return "pip"
        return None
    if prog == "uv":
        if sub == "sync":
            return "uv"
        if sub == "pip" and found is not None and has_flag(cmd, "-r", "--requirement", start=found[0]):
            return "pip"
        return None
    if prog in ("poetry", "pdm") and sub in ("install", "sync"):
        return prog
    if prog == "pipenv" and sub in ("install", "sync"):
        return None if found is None or operands(cmd, found[0] + 1) else "pipenv"
    if prog in ("npm", "pnpm") and sub in ("ci", "install", "i"):
        return None if found is None or operands(cmd, found[0] + 1) else prog
    if prog == "yarn" and (found is None or sub == "install"):
        return "yarn"
    if prog == "go" and found is not None and sub == "mod":
        rest = operands(cmd, found[0] + 1)
        return "go" if rest and rest[0].text == "download" else None
    if prog in ("bundle", "composer") and sub == "install":
        return prog
    if prog == "cargo" and sub == "fetch":
        return "cargo"
    return None


def _installer(ins: Instruction) -> str | None:
    for cmd in run_commands(ins):
        found = dependency_install(cmd)
        if found:
            return found
    return None


class ContextCopiedBeforeDependencyInstall(Rule):
    """
    ## What it does
    Flags `COPY . <dest>` (the whole build context) followed, in the same stage, by a dependency install from a
    manifest (`pip install -r`, `uv sync`, `poetry install`, `npm ci`, `yarn install`, `go mod download`,
    `bundle install`, `composer install`, ...).

    ## Why is this bad?
    Any change to any file of the context invalidates the `COPY` layer and therefore the dependency install
    after it, so every code edit re-downloads every dependency. Copy the manifest files first, install, then
    copy the rest: the install layer is then reused until the manifest changes.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    WORKDIR /app
    COPY . .
    RUN pip install --no-cache-dir -r requirements.txt
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    WORKDIR /app
    COPY requirements.txt .
    RUN pip install --no-cache-dir -r requirements.txt
    COPY . .
    ```

    ## References
    - https://docs.docker.com/build/cache/optimize/#order-your-layers
    """

    code = "DG107"
    name = "context-copied-before-dependency-install"
    severity = Severity.WARNING
    message = "whole context copied before the dependency install"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        for stage in ctx.stages:
            copied: Instruction | None = None
            installed_before: set[str] = set()
            for ins in stage.instructions:
                if ins.keyword in ("COPY", "ADD") and copied is None and "" in context_sources(ins):
                    copied = ins
                    continue
                if ins.keyword != "RUN":
                    continue
                found = _installer(ins)
                if found is None:
                    continue
                if copied is None:
                    installed_before.add(found)
                    continue
                if found in installed_before:
                    continue
                yield self.finding(
                    copied,
                    f"{copied.keyword} of the whole context before the {found} install on line {ins.line}: "
                    f"copy {MANIFESTS[found]} first, install, then copy the rest",
                )
                break
