"""Build packages: which packages are compilers and build tools, which only a build needs, the Debian base set,
and the runtime library that goes with each ``-dev`` header package.

Knowledge tables with small lookups; the multi-stage split (:mod:`dockgen.split`), DG017/DG055 and the
``builder_and_runtime`` declaration helper all read them here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = [
    "BUILD_HELPERS",
    "DEBIAN_MINBASE",
    "RUNTIME_LIBRARIES",
    "TOOLCHAIN",
    "is_build_package",
    "is_toolchain",
    "package_name",
    "runtime_libraries",
]


#: Compilers and build tools (DG017 flags them in a final stage; the split leaves them in the builder).
TOOLCHAIN: frozenset[str] = frozenset(
    {
        "build-essential", "build-base", "alpine-sdk", "gcc", "g++", "gcc-c++", "clang", "make", "cmake",
        "autoconf", "automake", "libtool", "gfortran", "golang", "golang-go", "go", "rust", "rustc", "cargo",
        "@development tools", "development tools", "@development-tools",
    }
)  # fmt: skip
_VERSIONED = re.compile(r"^(?:gcc|g\+\+|clang|golang|cpp)-[0-9.]+(?:-go)?$")

#: Packages only a build needs; left out of the runtime stage unless a runtime command runs them.
BUILD_HELPERS: frozenset[str] = frozenset(
    {
        "pkg-config", "pkgconf", "node-gyp", "python3-venv", "python3-setuptools", "python3-wheel", "cython3",
        "python3-pip", "npm", "bison", "flex", "m4", "ninja-build", "meson", "patch", "dpkg-dev",
        "libtool-bin", "autoconf-archive", "binutils", "cpp", "g++-12", "gcc-12",
    }
)  # fmt: skip

#: Programs whose use in CMD/ENTRYPOINT/a runtime RUN means the build tools are needed at run time.
_BUILD_PROGRAMS = frozenset(
    {"make", "gcc", "g++", "cc", "c++", "clang", "go", "cargo", "rustc", "cmake", "npm", "pip", "node-gyp"}
)

#: Packages of Debian's minbase (the debian:bookworm and -slim images): installing them again does nothing.
DEBIAN_MINBASE: frozenset[str] = frozenset(
    [
        "adduser",
        "apt",
        "base-files",
        "base-passwd",
        "bash",
        "bsdutils",
        "coreutils",
        "dash",
        "debconf",
        "debian-archive-keyring",
        "debianutils",
        "diffutils",
        "dpkg",
        "e2fsprogs",
        "findutils",
        "gcc-12-base",
        "gpgv",
        "grep",
        "gzip",
        "hostname",
        "init-system-helpers",
        "libacl1",
        "libapt-pkg6.0",
        "libattr1",
        "libaudit-common",
        "libaudit1",
        "libblkid1",
        "libbz2-1.0",
        "libc-bin",
        "libc6",
        "libcap-ng0",
        "libcap2",
        "libcom-err2",
        "libcrypt1",
        "libdb5.3",
        "libdebconfclient0",
        "libext2fs2",
        "libffi8",
        "libgcc-s1",
        "libgcrypt20",
        "libgmp10",
        "libgnutls30",
        "libgpg-error0",
        "libhogweed6",
        "libidn2-0",
        "liblz4-1",
        "liblzma5",
        "libmd0",
        "libmount1",
        "libnettle8",
        "libp11-kit0",
        "libpam-modules",
        "libpam-modules-bin",
        "libpam-runtime",
        "libpam0g",
        "libpcre2-8-0",
        "libseccomp2",
        "libselinux1",
        "libsemanage-common",
        "libsemanage2",
        "libsepol2",
        "libsmartcols1",
        "libss2",
        "libstdc++6",
        "libsystemd0",
        "libtasn1-6",
        "libtinfo6",
        "libudev1",
        "libunistring2",
        "libuuid1",
        "libxxhash0",
        "libzstd1",
        "login",
        "logsave",
        "mawk",
        "mount",
        "ncurses-base",
        "ncurses-bin",
        "passwd",
        "perl-base",
        "sed",
        "sysvinit-utils",
        "tar",
        "tzdata",
        "usr-is-merged",
        "util-linux",
        "util-linux-extra",
        "zlib1g",
    ]
)

#: Debian 12 (bookworm) header packages -> the shared-library packages their programs link against.
RUNTIME_LIBRARIES: dict[str, tuple[str, ...]] = {
    "libc6-dev": ("libc6",), "libc-dev": ("libc6",), "libstdc++-12-dev": ("libstdc++6",),
    "libgcc-12-dev": ("libgcc-s1",), "linux-libc-dev": (),
    "python3-dev": (), "python3.11-dev": (), "libpython3-dev": (), "libpython3.11-dev": (),
    "libnode-dev": ("libnode108",), "nodejs-dev": ("libnode108",),
    "libssl-dev": ("libssl3",), "zlib1g-dev": ("zlib1g",), "libpq-dev": ("libpq5",),
    "libffi-dev": ("libffi8",), "libxml2-dev": ("libxml2",), "libxslt1-dev": ("libxslt1.1",),
    "libyaml-dev": ("libyaml-0-2",), "libjpeg-dev": ("libjpeg62-turbo",),
    "libjpeg62-turbo-dev": ("libjpeg62-turbo",), "libpng-dev": ("libpng16-16",),
    "libcurl4-openssl-dev": ("libcurl4",), "libcurl4-gnutls-dev": ("libcurl3-gnutls",),
    "libsqlite3-dev": ("libsqlite3-0",), "libreadline-dev": ("libreadline8",),
    "libncurses-dev": ("libncursesw6",), "libncurses5-dev": ("libncursesw6",),
    "libncursesw5-dev": ("libncursesw6",), "libbz2-dev": ("libbz2-1.0",), "liblzma-dev": ("liblzma5",),
    "libzstd-dev": ("libzstd1",), "liblz4-dev": ("liblz4-1",), "libgmp-dev": ("libgmp10",),
    "libpcre2-dev": ("libpcre2-8-0",), "libpcre3-dev": ("libpcre3",),
    "libmariadb-dev": ("libmariadb3",), "libmariadb-dev-compat": ("libmariadb3",),
    "default-libmysqlclient-dev": ("libmariadb3",), "libsodium-dev": ("libsodium23",),
    "libuv1-dev": ("libuv1",), "libevent-dev": ("libevent-2.1-7",), "libgdbm-dev": ("libgdbm6",),
    "libexpat1-dev": ("libexpat1",), "libfreetype-dev": ("libfreetype6",), "libfreetype6-dev": ("libfreetype6",),
    "libldap2-dev": ("libldap-2.5-0",), "libldap-dev": ("libldap-2.5-0",), "libsasl2-dev": ("libsasl2-2",),
    "libkrb5-dev": ("libkrb5-3", "libgssapi-krb5-2"), "libmagic-dev": ("libmagic1",),
    "libwebp-dev": ("libwebp7",), "libtiff-dev": ("libtiff6",), "libtiff5-dev": ("libtiff6",),
    "libopenblas-dev": ("libopenblas0",), "liblapack-dev": ("liblapack3",), "libblas-dev": ("libblas3",),
    "libsnappy-dev": ("libsnappy1v5",), "libicu-dev": ("libicu72",), "libudev-dev": ("libudev1",),
    "libsystemd-dev": ("libsystemd0",), "libcap-dev": ("libcap2",), "libselinux1-dev": ("libselinux1",),
    "libacl1-dev": ("libacl1",), "libattr1-dev": ("libattr1",), "libgnutls28-dev": ("libgnutls30",),
    "libnghttp2-dev": ("libnghttp2-14",), "libidn2-dev": ("libidn2-0",), "libpcap-dev": ("libpcap0.8",),
    "libusb-1.0-0-dev": ("libusb-1.0-0",), "libglib2.0-dev": ("libglib2.0-0",), "libcairo2-dev": ("libcairo2",),
    "libmpfr-dev": ("libmpfr6",), "libmpc-dev": ("libmpc3",), "libjansson-dev": ("libjansson4",),
    "libonig-dev": ("libonig5",), "libzip-dev": ("libzip4",), "libargon2-dev": ("libargon2-1",),
    "libgd-dev": ("libgd3",), "libssh2-1-dev": ("libssh2-1",), "libssh-dev": ("libssh-4",),
    "libseccomp-dev": ("libseccomp2",), "libgeos-dev": ("libgeos-c1v5",), "libhiredis-dev": ("libhiredis0.14",),
    "libedit-dev": ("libedit2",), "libre2-dev": ("libre2-9",), "libprotobuf-dev": ("libprotobuf32",),
    "libmemcached-dev": ("libmemcached11",), "libxmlsec1-dev": ("libxmlsec1", "libxmlsec1-openssl"),
    "libgit2-dev": ("libgit2-1.5",), "libsqlite3-0-dev": ("libsqlite3-0",),
}  # fmt: skip


def package_name(word: str) -> str:
    """``gcc=4:12.2.0-3`` -> ``gcc``; ``libssl-dev:amd64`` -> ``libssl-dev``."""
    name = re.split(r"[=<>~]", word, maxsplit=1)[0]
    return name.split(":", 1)[0].lower()


def is_toolchain(package: str) -> bool:
    """A compiler, build tool or header package (``-dev``/``-devel``/``lib*-headers``)."""
    name = package_name(package)
    return (
        name in TOOLCHAIN
        or bool(_VERSIONED.match(name))
        or name.endswith(("-dev", "-devel"))
        or (name.startswith("lib") and name.endswith("-headers"))
    )


def is_build_package(package: str) -> bool:
    return is_toolchain(package) or package_name(package) in BUILD_HELPERS


def runtime_libraries(packages: Sequence[str]) -> tuple[list[str], list[str]]:
    """(runtime library packages of the header packages among ``packages``, header packages not known)."""
    libs: list[str] = []
    unknown: list[str] = []
    for pkg in packages:
        name = package_name(pkg)
        if not name.endswith(("-dev", "-devel")):
            continue
        found = RUNTIME_LIBRARIES.get(name)
        if found is None:
            unknown.append(name)
            continue
        libs.extend(lib for lib in found if lib not in DEBIAN_MINBASE)
    return list(dict.fromkeys(libs)), unknown
