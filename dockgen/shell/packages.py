"""Package managers: their install subcommands and value-taking options, finding install commands, and how
they read their environment."""

from __future__ import annotations

from collections.abc import Iterable

from dockgen.shell.argv import program, subcommand
from dockgen.shell.syntax import Command, Word

__all__ = ["VALUE_OPTIONS", "find_install", "manager_subcommand", "pip_cache_disabled", "truthy"]


#: Install-like subcommands per package manager.
_INSTALL_SUBCOMMANDS: dict[str, frozenset[str]] = {
    "apt-get": frozenset({"install"}),
    "apt": frozenset({"install"}),
    "aptitude": frozenset({"install"}),
    "apk": frozenset({"add"}),
    "pip": frozenset({"install"}),
    "npm": frozenset(
        {"install", "i", "add", "isntall", "in", "ins", "inst", "insta", "instal", "isnt", "isnta"}
    ),
    "yarn": frozenset({"add", "install"}),
    "pnpm": frozenset({"add", "install", "i"}),
    "gem": frozenset({"install", "i"}),
    "go": frozenset({"install", "get"}),
    "yum": frozenset({"install", "groupinstall", "localinstall"}),
    "dnf": frozenset({"install", "groupinstall", "localinstall"}),
    "microdnf": frozenset({"install"}),
    "zypper": frozenset({"install", "in"}),
    "cargo": frozenset({"install"}),
    "conda": frozenset({"install"}),
}


def _opts(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Global options taking a value, per manager (to find the subcommand after them).
VALUE_OPTIONS: dict[str, frozenset[str]] = {
    "apt-get": _opts("-o -c -t --option --config-file --target-release --default-release"),
    "apt": _opts("-o -c -t --option --config-file --target-release --default-release"),
    "apk": _opts(
        "-X --repository -p --root --arch --cache-dir --keys-dir -t --virtual --repositories-file --cache-max-age --timeout"
    ),
    "pip": _opts(
        "-r --requirement -c --constraint -e --editable -t --target -i --index-url --extra-index-url -f --find-links --trusted-host --root --prefix --cache-dir --platform --python-version --implementation --abi --src --upgrade-strategy --progress-bar --log --proxy --retries --timeout --exists-action --cert --client-cert --no-binary --only-binary --config-settings -C --global-option --report --python --keyring-provider --use-feature --use-deprecated"
    ),
    "npm": _opts(
        "--prefix --registry --cache --userconfig -C -w --workspace --tag --omit --include --loglevel"
    ),
    "yarn": _opts("--cwd --cache-folder --registry --modules-folder --network-timeout"),
    "pnpm": _opts("-C --dir --filter -F --registry --store-dir"),
    "gem": _opts(
        "-v --version -i --install-dir -n --bindir -s --source --platform -P --trust-policy --build-root"
    ),
    "go": _opts(
        "-C -ldflags -gcflags -tags -o -mod -modfile -p -buildmode -compiler -asmflags -pkgdir -toolexec -overlay -pgo"
    ),
    "yum": _opts(
        "-c --config --installroot --enablerepo --disablerepo -x --exclude --releasever --setopt -d -e --downloaddir --color"
    ),
    "dnf": _opts(
        "-c --config --installroot --enablerepo --disablerepo -x --exclude --releasever --setopt -d -e --downloaddir --color --repo --repoid --forcearch"
    ),
    "microdnf": _opts("--config --installroot --enablerepo --disablerepo --releasever --setopt"),
    "zypper": _opts("-r --repo --root -R -c --config -D --reposd-dir -C --cache-dir -t --type --from -p"),
}


def manager_subcommand(cmd: Command) -> tuple[str, int, Word] | None:
    """(manager, index of the subcommand word, the word) for a package-manager command, else None."""
    prog, first = program(cmd)
    if prog not in _INSTALL_SUBCOMMANDS and prog not in VALUE_OPTIONS:
        return None
    found = subcommand(cmd, VALUE_OPTIONS.get(prog, ()), start=first)
    if found is None:
        return None
    return prog, found[0], found[1]


def find_install(cmds: Iterable[Command], manager: str) -> list[tuple[Command, int]]:
    """Commands of ``cmds`` that install packages with ``manager`` (``apt-get``, ``apk``, ``pip``, ``npm``,
    ``yarn``, ``gem``, ``go``, ``yum``, ``dnf``, ``microdnf``, ``zypper``...), each with the index of its
    install subcommand word (``install``/``add``...)."""
    subs = _INSTALL_SUBCOMMANDS.get(manager, frozenset({"install"}))
    out: list[tuple[Command, int]] = []
    for cmd, found in _manager_subcommands(cmds):
        if found is None or found[0] != manager:
            continue
        if found[2].text in subs:
            out.append((cmd, found[1]))
    return out


def truthy(value: str | None) -> bool:
    """How pip and most tools read a boolean environment variable (``1``, ``true``, ``yes``, ``on``).

    ``PIP_NO_CACHE_DIR`` is special (see :func:`pip_cache_disabled`).
    """
    return value is not None and value.strip().lower() in ("1", "true", "yes", "on", "y")


def pip_cache_disabled(env: dict[str, str]) -> bool:
    """True when ``PIP_NO_CACHE_DIR`` disables pip's cache.

    pip reads ``PIP_NO_CACHE_DIR`` through its boolean option parser: ``1``/``true``/``yes``/``on`` disable
    the cache, and, for historical reasons, so do ``0``/``false``/``off``/``no`` (pip's ``--no-cache-dir``
    callback ignores the value); only an empty value leaves the cache on.
    """
    value = env.get("PIP_NO_CACHE_DIR")
    return value is not None and value.strip() != ""


#: ``id(commands)`` -> (the commands, their manager subcommands). Rules ask :func:`find_install` about the
#: same (cached, immutable) command tuple for one manager after another; each command is looked at once.
_SUBCOMMANDS: dict[int, tuple[tuple[Command, ...], list[tuple[Command, tuple[str, int, Word] | None]]]] = {}


def _manager_subcommands(cmds: Iterable[Command]) -> list[tuple[Command, tuple[str, int, Word] | None]]:
    if not isinstance(cmds, tuple):
        return [(cmd, manager_subcommand(cmd)) for cmd in cmds]
    hit = _SUBCOMMANDS.get(id(cmds))
    if hit is not None and hit[0] is cmds:
        return hit[1]
    found = [(cmd, manager_subcommand(cmd)) for cmd in cmds]
    if len(_SUBCOMMANDS) >= 8192:
        _SUBCOMMANDS.clear()
    _SUBCOMMANDS[id(cmds)] = (cmds, found)  # holding the tuple keeps its id from being reused
    return found
