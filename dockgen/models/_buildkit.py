"""The values BuildKit's Dockerfile frontend rejects, rejected when the declaration is made.

Each check follows what BuildKit (moby/buildkit, the dockerfile frontend and the libraries it calls) does
with the value, so a declaration that passes here does not fail the build on the same value:

* ``EXPOSE``: ``[ip:][host-port:]port[-port][/tcp|udp|sctp]`` with ports 0..65535 and a range that does
  not run backwards (``nat.ParsePortSpecs``);
* ``STOPSIGNAL``: a positive signal number or a Linux signal name, with or without ``SIG``
  (``signal.ParseSignal``);
* ``HEALTHCHECK`` durations: a Go duration (``time.ParseDuration``), 0 or at least 1ms;
* platforms: ``os[/arch[/variant]]`` with a known OS and architecture (containerd's ``platforms.Parse``);
* ``--mount`` options: octal ``mode``, non-negative ``uid``/``gid``, a tmpfs ``size`` in bytes or with a
  unit, known keys and types for a mount written as a string;
* ``USER`` / ``--chown``: ``user[:group]``, one word, no empty part;
* ``--chmod``: octal up to 07777, or symbolic (``u+x,go-w``).

A value holding a variable (``$PORT``, ``${SIG}``) is left alone: BuildKit checks it after expansion.
"""

from __future__ import annotations

import re

__all__ = [
    "check_chmod",
    "check_duration",
    "check_mount_string",
    "check_platform",
    "check_port",
    "check_signal",
    "check_size",
    "check_user",
    "has_variable",
]


def has_variable(value: str) -> bool:
    return "$" in value


# ---- EXPOSE ----------------------------------------------------------------------------------------------

_PROTOCOLS = ("tcp", "udp", "sctp")


def _port_range(text: str, what: str) -> tuple[int, int]:
    start, sep, end = text.partition("-")
    if not start.isdigit() or (sep and not end.isdigit()):
        raise ValueError(f"{what} {text!r} is not a port number or a range such as 8000-8010")
    low, high = int(start), int(end) if sep else int(start)
    if low > 65535 or high > 65535:
        raise ValueError(f"{what} {text!r} is outside 0..65535")
    if high < low:
        raise ValueError(f"{what} range {text!r} runs backwards")
    return low, high


def check_port(port: str) -> str:
    """``"8080"``, ``"8080/tcp"``, ``"8000-8010/udp"`` (also ``"127.0.0.1:8080:80"``, which BuildKit accepts
    with a warning)."""
    if has_variable(port):
        return port
    if not port or any(c.isspace() for c in port):
        raise ValueError(f"port {port!r} must look like 8080, '8080/tcp', '8000-8010/udp' or '$PORT'")
    spec, slash, proto = port.partition("/")
    if slash and proto.lower() not in _PROTOCOLS:
        raise ValueError(f"port {port!r}: protocol {proto!r} is not one of tcp, udp, sctp")
    parts = spec.rsplit(":", 2)
    container = parts[-1]
    if not container:
        raise ValueError(f"port {port!r} has no container port")
    low, high = _port_range(container, f"port {port!r}: container port")
    if len(parts) >= 2 and parts[-2]:
        h_low, h_high = _port_range(parts[-2], f"port {port!r}: host port")
        if h_high - h_low != high - low and h_high != h_low:
            raise ValueError(f"port {port!r}: host and container port ranges differ in size")
    return port


# ---- STOPSIGNAL ------------------------------------------------------------------------------------------

_SIGNALS = frozenset(
    [
        "ABRT",
        "ALRM",
        "BUS",
        "CHLD",
        "CLD",
        "CONT",
        "FPE",
        "HUP",
        "ILL",
        "INT",
        "IO",
        "IOT",
        "KILL",
        "PIPE",
        "POLL",
        "PROF",
        "PWR",
        "QUIT",
        "SEGV",
        "STKFLT",
        "STOP",
        "SYS",
        "TERM",
        "TRAP",
        "TSTP",
        "TTIN",
        "TTOU",
        "URG",
        "USR1",
        "USR2",
        "VTALRM",
        "WINCH",
        "XCPU",
        "XFSZ",
        "RTMIN",
        "RTMAX",
    ]
    + [f"RTMIN+{i}" for i in range(1, 16)]
    + [f"RTMAX-{i}" for i in range(1, 15)]
)


def check_signal(signal: str | int) -> str | int:
    if isinstance(signal, int):
        if signal <= 0:
            raise ValueError(f"signal {signal} must be a positive number")
        return signal
    if has_variable(signal):
        return signal
    if signal.isdigit():
        if int(signal) == 0:
            raise ValueError("signal 0 is not a signal")
        return signal
    name = signal.upper().removeprefix("SIG")
    if name not in _SIGNALS:
        raise ValueError(f"{signal!r} is not a signal; write e.g. 'SIGTERM', 'SIGINT', 'SIGQUIT' or a number")
    return signal


# ---- durations -------------------------------------------------------------------------------------------

_UNIT_NS = {"ns": 1, "us": 1_000, "µs": 1_000, "μs": 1_000, "ms": 1_000_000, "s": 10**9, "m": 60 * 10**9}
_UNIT_NS["h"] = 3600 * 10**9
_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")


def check_duration(value: str) -> str:
    """A Go duration BuildKit takes for HEALTHCHECK: ``30s``, ``1m30s``, ``1.5s``; 0 or at least 1ms."""
    if has_variable(value):
        return value
    if value == "0":
        return value
    pos, total = 0, 0.0
    for match in _DURATION_PART.finditer(value):
        if match.start() != pos:
            break
        total += float(match.group(1)) * _UNIT_NS[match.group(2)]
        pos = match.end()
    if pos != len(value) or not value:
        raise ValueError(
            f"{value!r} is not a duration; write e.g. '30s', '1m30s', '500ms' or an int of seconds"
        )
    if 0 < total < 1_000_000:
        raise ValueError(f"{value!r} is shorter than 1ms, which BuildKit refuses")
    return value


# ---- platforms -------------------------------------------------------------------------------------------

_OSES = frozenset(
    [
        "aix",
        "android",
        "darwin",
        "dragonfly",
        "freebsd",
        "hurd",
        "illumos",
        "ios",
        "js",
        "linux",
        "nacl",
        "netbsd",
        "openbsd",
        "plan9",
        "solaris",
        "wasip1",
        "windows",
        "zos",
    ]
)
_ARCHES = frozenset(
    [
        "386",
        "amd64",
        "amd64p32",
        "arm",
        "armbe",
        "arm64",
        "arm64be",
        "ppc64",
        "ppc64le",
        "loong64",
        "mips",
        "mipsle",
        "mips64",
        "mips64le",
        "mips64p32",
        "mips64p32le",
        "ppc",
        "riscv",
        "riscv64",
        "s390",
        "s390x",
        "sparc",
        "sparc64",
        "wasm",
    ]
)
_ARCH_ALIASES = frozenset({"x86_64", "x86-64", "aarch64", "armhf", "armel", "i386", "i686"})
_PART = re.compile(r"[A-Za-z0-9_-]+")


def check_platform(value: str) -> str:
    """``linux/amd64``, ``linux/arm/v7``, ``windows/amd64``; ``$BUILDPLATFORM`` and the like pass."""
    if has_variable(value):
        return value
    parts = value.split("/")
    if not 1 <= len(parts) <= 3 or not all(_PART.fullmatch(p) for p in parts):
        raise ValueError(f"platform {value!r} must look like 'linux/amd64' or 'linux/arm/v7'")
    lowered = [p.lower() for p in parts]
    if len(parts) == 1:
        if lowered[0] not in _OSES | _ARCHES | _ARCH_ALIASES:
            raise ValueError(f"platform {value!r}: unknown operating system or architecture")
        return value
    os_name, arch = lowered[0], lowered[1]
    if os_name not in _OSES:
        raise ValueError(f"platform {value!r}: unknown operating system {parts[0]!r} (linux, windows, ...)")
    if arch not in _ARCHES | _ARCH_ALIASES:
        raise ValueError(f"platform {value!r}: unknown architecture {parts[1]!r} (amd64, arm64, arm, ...)")
    return value


# ---- mounts ----------------------------------------------------------------------------------------------

_SIZE = re.compile(r"\d+(?:\.\d+)?\s*([kmgtp]i?b?|b)?", re.I)

_MOUNT_KEYS = {
    "bind": {"target", "dst", "destination", "source", "src", "from", "rw", "readwrite", "readonly", "ro"},
    "cache": {
        "id",
        "target",
        "dst",
        "destination",
        "sharing",
        "from",
        "source",
        "src",
        "mode",
        "uid",
        "gid",
        "readonly",
        "ro",
    },
    "tmpfs": {"target", "dst", "destination", "size"},
    "secret": {"id", "target", "dst", "destination", "env", "required", "mode", "uid", "gid"},
    "ssh": {"id", "target", "dst", "destination", "required", "mode", "uid", "gid"},
}


def check_size(value: str | int) -> str | int:
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"size {value} cannot be negative")
        return value
    if has_variable(value) or _SIZE.fullmatch(value.strip()):
        return value
    raise ValueError(f"size {value!r} must be a number of bytes or have a unit such as '64m' or '1g'")


def check_mode(value: str) -> str:
    if has_variable(value):
        return value
    if not re.fullmatch(r"[0-7]{1,5}", value) or int(value, 8) > 0o7777:
        raise ValueError(f"mode {value!r} must be octal, e.g. '0644'")
    return value


def check_mount_string(value: str) -> str:
    """A ``--mount`` value written as a string: ``type=cache,target=/root/.cache,sharing=locked``."""
    if has_variable(value):
        return value
    fields: dict[str, str] = {}
    for item in value.split(","):
        key, eq, val = item.partition("=")
        key = key.strip().lower()
        if not key:
            raise ValueError(f"mount {value!r} has an empty option")
        fields[key] = val if eq else "true"
    kind = fields.get("type", "bind")
    if kind not in _MOUNT_KEYS:
        raise ValueError(f"mount {value!r}: type {kind!r} is not one of {', '.join(sorted(_MOUNT_KEYS))}")
    unknown = sorted(set(fields) - _MOUNT_KEYS[kind] - {"type"})
    if unknown:
        raise ValueError(f"mount {value!r}: {kind} mounts take no option {', '.join(map(repr, unknown))}")
    if kind in ("bind", "cache", "tmpfs") and not ({"target", "dst", "destination"} & set(fields)):
        raise ValueError(f"mount {value!r}: a {kind} mount needs target=")
    if "sharing" in fields and fields["sharing"] not in ("shared", "private", "locked"):
        raise ValueError(f"mount {value!r}: sharing must be shared, private or locked")
    if "mode" in fields:
        check_mode(fields["mode"])
    for key in ("uid", "gid"):
        if key in fields and not fields[key].isdigit():
            raise ValueError(f"mount {value!r}: {key} must be a non-negative number")
    if "size" in fields:
        check_size(fields["size"])
    for key in ("rw", "readwrite", "readonly", "ro", "required"):
        if key in fields and fields[key].lower() not in ("true", "false", "1", "0"):
            raise ValueError(f"mount {value!r}: {key} must be true or false")
    return value


# ---- USER, --chown, --chmod ------------------------------------------------------------------------------

_NAME = re.compile(r"[^\s:]+")


def check_user(value: str, what: str = "user") -> str:
    """``app``, ``10001``, ``app:app``, ``10001:10001``."""
    if has_variable(value):
        return value
    user, colon, group = value.partition(":")
    if not _NAME.fullmatch(user) or (colon and not _NAME.fullmatch(group)):
        raise ValueError(f"{what} {value!r} must be 'user' or 'user:group' (a name or a number, no blanks)")
    return value


_SYMBOLIC = re.compile(r"[ugoa]*[-+=](?:[rwxXst]*|[ugo])(?:[-+=](?:[rwxXst]*|[ugo]))*")


def check_chmod(value: str) -> str:
    if has_variable(value):
        return value
    if re.fullmatch(r"[0-7]{1,5}", value):
        if int(value, 8) > 0o7777:
            raise ValueError(f"chmod {value!r} is larger than 7777")
        return value
    if all(_SYMBOLIC.fullmatch(clause) for clause in value.split(",")):
        return value
    raise ValueError(f"chmod {value!r} must be octal such as '0755' (or symbolic such as 'u+x,go-w')")
