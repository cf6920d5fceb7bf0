#!/usr/bin/env bash
# Install and start everything dockgen's test-suite needs, on a Debian 12 machine, as root, without systemd:
#
#   * a Docker engine (dockerd + containerd, containerd image store, BuildKit, buildx plugin)
#   * QEMU user emulation registered through binfmt_misc (linux/arm64 builds)
#   * three local registries (Debian's docker-registry, distribution 2.8):
#       127.0.0.1:5000  plain HTTP, deletes enabled             (the main test registry)
#       127.0.0.1:5001  plain HTTP, the engine's registry mirror (holds the seeded base images)
#       127.0.0.1:5443  TLS (self-signed CA) + htpasswd basic auth, deletes enabled
#   * base images built locally from Debian packages and pushed to the mirror:
#       debian:bookworm (= 12), debian:bookworm-slim (= 12-slim)  (linux/amd64, the official images' recipe)
#       busybox:latest, busybox:1.35            (Debian's busybox-static, linux/amd64 + linux/arm64)
#   * skopeo, openssl, htpasswd
#   * when buildkitd/buildctl are found ($DOCKGEN_BUILDKIT_DIR or ../shared/tools/buildkit): two BuildKit
#     daemons on 127.0.0.1:1234/1235 (mTLS) and the buildx builders dockgen-remote, dockgen-multinode,
#     dockgen-container
#
# Idempotent: every step checks first and skips what is already there, so a second run takes seconds.
# Usage: scripts/infra.sh [--check]     (--check also runs the end-to-end smoke checks afterwards)
# DOCKGEN_INFRA_ENGINE=bookworm forces the fallback engine (Debian 12 docker.io 20.10, classic builder).
# Stop everything again with scripts/infra-stop.sh.  Details: docs/infrastructure.md.
set -Eeuo pipefail

STATE_DIR=${DOCKGEN_INFRA_STATE:-/var/lib/dockgen-infra}
LOG_DIR=${DOCKGEN_INFRA_LOGS:-/var/log/dockgen-infra}
RUN_DIR="$STATE_DIR/run"
TLS_DIR="$STATE_DIR/tls"
CACHE_DIR="$STATE_DIR/cache"
AUTH_USER=dockgen
AUTH_PASSWORD=dockgen-test-password
PLAIN=127.0.0.1:5000
MIRROR=127.0.0.1:5001
AUTH=127.0.0.1:5443

RUN_CHECKS=0
for arg in "$@"; do
    case "$arg" in
        --check) RUN_CHECKS=1 ;;
        -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
        *) echo "infra: unknown argument: $arg (try --help)" >&2; exit 2 ;;
    esac
done

START_TS=$(date +%s)
say() { printf 'infra: [%4ss] %s\n' "$(( $(date +%s) - START_TS ))" "$*"; }
die() { printf 'infra: ERROR: %s\n' "$*" >&2; exit 1; }
trap 'rc=$?; [ "$BASH_SUBSHELL" = 0 ] && printf "infra: ERROR: failed at line %s (exit %s); logs in %s\n" "$LINENO" "$rc" "$LOG_DIR" >&2' ERR

[ "$(id -u)" = 0 ] || die "must run as root (it installs packages and starts daemons)"
mkdir -p "$STATE_DIR" "$LOG_DIR" "$RUN_DIR" "$TLS_DIR" "$CACHE_DIR"
export DEBIAN_FRONTEND=noninteractive
# one run at a time (several people or test sessions may call this on one machine)
exec 9>"$STATE_DIR/infra.lock"
if ! flock -n 9; then
    say "another scripts/infra.sh is running; waiting for it"
    flock 9
fi

# ----------------------------------------------------------------------------------------------- helpers
port_open() {  # port_open HOST PORT
    (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

retry() {  # retry COMMAND... : up to 3 attempts, for steps that talk to the Debian archive
    local n
    for n in 1 2 3; do
        if "$@"; then return 0; fi
        [ "$n" = 3 ] || { say "retrying in $(( n * 5 ))s: $*"; sleep $(( n * 5 )); }
    done
    return 1
}

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
    local limit=$1 what=$2; shift 2
    local i
    for (( i = 0; i < limit * 4; i++ )); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.25
    done
    die "timed out after ${limit}s waiting for $what"
}

# pid_alive NAME -> true when the process recorded in $RUN_DIR/NAME.pid is still running that program
# (after a reboot the number may belong to something else)
pid_alive() {
    local f="$RUN_DIR/$1.pid" pid
    [ -s "$f" ] || return 1
    pid=$(cat "$f")
    kill -0 "$pid" 2>/dev/null && grep -qF "$(cat "$RUN_DIR/$1.exe" 2>/dev/null || echo '?')" "/proc/$pid/cmdline"
}

# start_bg NAME COMMAND... : start a daemon in its own session, logs to $LOG_DIR/NAME.log, pid in $RUN_DIR
start_bg() {
    local name=$1; shift
    printf '\n==== %s: %s\n' "$(date -u +%FT%TZ)" "$*" >>"$LOG_DIR/$name.log"
    # fd 9 holds the run lock: the daemon must not inherit it
    setsid nohup "$@" >>"$LOG_DIR/$name.log" 2>&1 < /dev/null 9>&- &
    echo $! > "$RUN_DIR/$name.pid"
    echo "$1" > "$RUN_DIR/$name.exe"
}

registry_has() {  # registry_has ADDR REPO TAG -> true when the manifest (or index) exists
    curl -fs -o /dev/null -I \
        -H 'Accept: application/vnd.oci.image.index.v1+json' \
        -H 'Accept: application/vnd.docker.distribution.manifest.list.v2+json' \
        -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
        -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
        "http://$1/v2/$2/manifests/$3"
}

# Debian mirror this machine uses (the image's sources.list points at the same one).
debian_mirror() {
    local uri=""
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
        uri=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
    fi
    if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
        uri=$(awk '$1 == "deb" && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) {print $i; exit}}' /etc/apt/sources.list)
    fi
    echo "${uri:-http://deb.debian.org/debian}"
}
DEBIAN_MIRROR=$(debian_mirror)
DEBIAN_SECURITY_MIRROR=${DEBIAN_MIRROR%/debian}/debian-security

# A separate apt state (sources, lists, cache) so that nothing on the host ever upgrades from another
# suite or architecture: `side_apt NAME SOURCES-LINE [extra apt options]` prepares it and echoes options.
side_apt_opts() {  # side_apt_opts NAME
    local d="$STATE_DIR/apt-$1"
    echo "-o Dir::Etc::sourcelist=$d/sources.list -o Dir::Etc::sourceparts=$d/empty" \
         "-o Dir::Etc::preferences=$d/empty/none -o Dir::Etc::preferencesparts=$d/empty" \
         "-o Dir::State::Lists=$d/lists -o Dir::Cache=$d/cache -o Dir::State::status=$d/status" \
         "-o APT::Sandbox::User=root -o Debug::NoLocking=1"
}
side_apt_prepare() {  # side_apt_prepare NAME "deb ... line" [apt options...]
    local name=$1 line=$2; shift 2
    local d="$STATE_DIR/apt-$name"
    mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/empty" "$d/debs"
    : > "$d/status"
    echo "$line" > "$d/sources.list"
    # shellcheck disable=SC2046
    retry apt-get $(side_apt_opts "$name") "$@" -qq update
}
side_apt_download() {  # side_apt_download NAME [apt options...] -- PACKAGES...
    local name=$1; shift
    local opts=()
    while [ "$1" != "--" ]; do opts+=("$1"); shift; done; shift
    # shellcheck disable=SC2046
    (cd "$STATE_DIR/apt-$name/debs" && retry apt-get $(side_apt_opts "$name") "${opts[@]}" -qq download "$@")
}

# ------------------------------------------------------------------------------------------ 1. packages
ENGINE_FLAVOR_FILE="$STATE_DIR/engine-flavor"
BOOKWORM_PKGS=(runc tini iptables qemu-user-static binfmt-support docker-registry skopeo apache2-utils
               debootstrap busybox-static openssl curl ca-certificates openssh-client git)

engine_installed() {
    command -v dockerd >/dev/null && command -v containerd >/dev/null && [ -s "$ENGINE_FLAVOR_FILE" ]
}
tools_installed() {
    local t
    for t in runc docker-registry skopeo htpasswd debootstrap busybox openssl curl iptables update-binfmts \
             qemu-aarch64-static docker; do
        command -v "$t" >/dev/null || return 1
    done
}

# Keep package maintainer scripts from starting daemons (no init system here; we start them ourselves).
with_no_service_start() {
    local created=0 rc=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; created=1
    fi
    "$@" || rc=$?
    if [ "$created" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
    return "$rc"
}

install_packages() {
    say "apt: updating Debian 12 package lists"
    retry apt-get -qq update || die "apt-get update failed"
    local trixie_debs=()
    if [ "${DOCKGEN_INFRA_ENGINE:-trixie}" = bookworm ]; then
        say "apt: DOCKGEN_INFRA_ENGINE=bookworm: using Debian 12 docker.io"
    elif say "apt: fetching docker.io, containerd, docker-buildx, docker-cli from Debian 13 (trixie)" \
        && side_apt_prepare trixie "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $DEBIAN_MIRROR trixie main" \
        && rm -f "$STATE_DIR"/apt-trixie/debs/*.deb \
        && side_apt_download trixie -- docker.io containerd docker-buildx docker-cli; then
        trixie_debs=("$STATE_DIR"/apt-trixie/debs/*.deb)
    else
        say "apt: WARNING: the trixie route failed; falling back to Debian 12 docker.io (classic builder only)"
    fi
    if [ "${#trixie_debs[@]}" -gt 0 ]; then
        say "apt: installing the trixie engine debs with Debian 12's runc/tini and the tools"
        with_no_service_start apt-get install -y -qq --no-install-recommends \
            "${trixie_debs[@]}" "${BOOKWORM_PKGS[@]}" > "$LOG_DIR/apt-install.log" 2>&1 \
            || die "apt-get install failed; see $LOG_DIR/apt-install.log"
        echo trixie > "$ENGINE_FLAVOR_FILE"
    else
        with_no_service_start apt-get install -y -qq --no-install-recommends \
            docker.io "${BOOKWORM_PKGS[@]}" > "$LOG_DIR/apt-install.log" 2>&1 \
            || die "apt-get install failed; see $LOG_DIR/apt-install.log"
        echo bookworm > "$ENGINE_FLAVOR_FILE"
    fi
}

if engine_installed && tools_installed; then
    say "packages: already installed ($(cat "$ENGINE_FLAVOR_FILE") engine)"
else
    if command -v dockerd >/dev/null && [ ! -s "$ENGINE_FLAVOR_FILE" ]; then
        case "$(dockerd --version)" in
            "Docker version 2"[6-9]*|"Docker version "[3-9]*) echo trixie > "$ENGINE_FLAVOR_FILE" ;;
        esac
    fi
    install_packages
fi
ENGINE_FLAVOR=$(cat "$ENGINE_FLAVOR_FILE")
# The machine may carry a newer docker client in /usr/local/bin; both find the plugin in this dir.
if [ -x /usr/libexec/docker/cli-plugins/docker-buildx ]; then
    mkdir -p /usr/local/lib/docker/cli-plugins
    ln -sf /usr/libexec/docker/cli-plugins/docker-buildx /usr/local/lib/docker/cli-plugins/docker-buildx
fi

# -------------------------------------------------------------------------------------- 2. QEMU / binfmt
if ! mountpoint -q /proc/sys/fs/binfmt_misc; then
    mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
fi
if ! grep -qx enabled /proc/sys/fs/binfmt_misc/qemu-aarch64 2>/dev/null; then
    update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 || true
    update-binfmts --enable qemu-arm >/dev/null 2>&1 || true
fi
grep -qx enabled /proc/sys/fs/binfmt_misc/qemu-aarch64 2>/dev/null \
    || die "could not register qemu-aarch64 with binfmt_misc"
say "binfmt: qemu-aarch64 registered ($(grep flags /proc/sys/fs/binfmt_misc/qemu-aarch64))"

# ------------------------------------------------------------------------------------------- 3. engine
write_daemon_json() {
    mkdir -p /etc/docker
    local features='"features": {"containerd-snapshotter": true},'
    if [ "$ENGINE_FLAVOR" != trixie ]; then features=''; fi
    local want
    want=$(cat <<EOF
{
  $features
  "registry-mirrors": ["http://$MIRROR"],
  "insecure-registries": ["127.0.0.1:5000", "127.0.0.1:5001", "localhost:5000", "localhost:5001"],
  "log-driver": "json-file",
  "log-opts": {"max-size": "10m", "max-file": "2"}
}
EOF
)
    if [ "$(cat /etc/docker/daemon.json 2>/dev/null)" != "$want" ]; then
        echo "$want" > /etc/docker/daemon.json
        return 0   # changed
    fi
    return 1
}

containerd_up() {
    [ -S /run/containerd/containerd.sock ] \
        && timeout 5 ctr --address /run/containerd/containerd.sock version >/dev/null 2>&1
}
engine_up() { [ -S /var/run/docker.sock ] && timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

DAEMON_JSON_CHANGED=0
if write_daemon_json; then DAEMON_JSON_CHANGED=1; fi

if ! containerd_up; then
    say "engine: starting containerd"
    start_bg containerd containerd
    wait_for 30 "containerd" containerd_up
fi
if engine_up && [ "$DAEMON_JSON_CHANGED" = 1 ] && pid_alive dockerd; then
    say "engine: /etc/docker/daemon.json changed; restarting dockerd"
    kill "$(cat "$RUN_DIR/dockerd.pid")"
    wait_for 30 "dockerd to stop" bash -c "! kill -0 $(cat "$RUN_DIR/dockerd.pid")"
fi
if ! engine_up; then
    # a pid file left by a dockerd that died with the machine blocks a new one if the number is reused
    if [ -s /var/run/docker.pid ] && ! grep -qF dockerd "/proc/$(cat /var/run/docker.pid)/cmdline" 2>/dev/null; then
        rm -f /var/run/docker.pid
    fi
    say "engine: starting dockerd"
    start_bg dockerd dockerd --containerd /run/containerd/containerd.sock
    wait_for 60 "dockerd (see $LOG_DIR/dockerd.log)" engine_up
fi
say "engine: up — server $(docker version --format '{{.Server.Version}}'), client $(docker version --format '{{.Client.Version}}'), storage $(docker info --format '{{.Driver}}'), flavor $ENGINE_FLAVOR"
if docker buildx version >/dev/null 2>&1; then
    say "engine: buildx $(docker buildx version | awk '{print $2}')"
else
    say "engine: WARNING: docker buildx is not available"
fi

# ---------------------------------------------------------------------------------------- 4. registries
if [ ! -s "$TLS_DIR/server.crt" ] || [ ! -s "$TLS_DIR/ca.crt" ] \
   || ! openssl verify -CAfile "$TLS_DIR/ca.crt" "$TLS_DIR/server.crt" >/dev/null 2>&1; then
    say "tls: generating a test CA and a server certificate for 127.0.0.1 / localhost"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=dockgen test CA" \
        -keyout "$TLS_DIR/ca.key" -out "$TLS_DIR/ca.crt" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
        -keyout "$TLS_DIR/server.key" -out "$TLS_DIR/server.csr" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
        > "$TLS_DIR/server.ext"
    openssl x509 -req -in "$TLS_DIR/server.csr" -CA "$TLS_DIR/ca.crt" -CAkey "$TLS_DIR/ca.key" \
        -CAcreateserial -days 3650 -extfile "$TLS_DIR/server.ext" -out "$TLS_DIR/server.crt" 2>/dev/null
    chmod 0644 "$TLS_DIR/ca.crt" "$TLS_DIR/server.crt"
    # a running TLS registry must pick up the new pair
    if pid_alive registry-auth; then kill "$(cat "$RUN_DIR/registry-auth.pid")"; sleep 1; fi
fi
# Trust the CA for the engine (and BuildKit inside it), for skopeo/podman-style tools, and system-wide.
for host in 127.0.0.1:5443 localhost:5443; do
    for d in /etc/docker/certs.d /etc/containers/certs.d; do
        mkdir -p "$d/$host"
        cmp -s "$TLS_DIR/ca.crt" "$d/$host/ca.crt" || cp "$TLS_DIR/ca.crt" "$d/$host/ca.crt"
    done
done
if ! cmp -s "$TLS_DIR/ca.crt" /usr/local/share/ca-certificates/dockgen-test-ca.crt; then
    cp "$TLS_DIR/ca.crt" /usr/local/share/ca-certificates/dockgen-test-ca.crt
    update-ca-certificates >/dev/null 2>&1 || true
fi
if [ ! -s "$TLS_DIR/htpasswd" ] || ! htpasswd -vbB "$TLS_DIR/htpasswd" "$AUTH_USER" "$AUTH_PASSWORD" >/dev/null 2>&1; then
    htpasswd -cbB "$TLS_DIR/htpasswd" "$AUTH_USER" "$AUTH_PASSWORD" >/dev/null 2>&1
fi

write_registry_config() {  # NAME ADDR EXTRA-YAML
    local name=$1 addr=$2 extra=$3
    mkdir -p "$STATE_DIR/registry-$name"
    cat > "$STATE_DIR/registry-$name.yml" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $STATE_DIR/registry-$name
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: $addr
  secret: dockgen-test-$name
  headers:
    X-Content-Type-Options: [nosniff]
$extra
EOF
}

start_registry() {  # NAME ADDR EXTRA-YAML
    local name=$1 addr=$2 extra=$3
    write_registry_config "$name" "$addr" "$extra"
    if port_open "${addr%:*}" "${addr#*:}"; then
        say "registry: $name already listening on $addr"
        return 0
    fi
    say "registry: starting $name on $addr"
    start_bg "registry-$name" docker-registry serve "$STATE_DIR/registry-$name.yml"
    wait_for 20 "registry $name on $addr (see $LOG_DIR/registry-$name.log)" port_open "${addr%:*}" "${addr#*:}"
}

start_registry plain "$PLAIN" ""
start_registry mirror "$MIRROR" ""
start_registry auth "$AUTH" "  tls:
    certificate: $TLS_DIR/server.crt
    key: $TLS_DIR/server.key
auth:
  htpasswd:
    realm: dockgen-test
    path: $TLS_DIR/htpasswd"

curl -fsS -o /dev/null "http://$PLAIN/v2/" || die "registry on $PLAIN does not answer /v2/"
curl -fsS -o /dev/null "http://$MIRROR/v2/" || die "registry on $MIRROR does not answer /v2/"
code=$(curl -sS -o /dev/null -w '%{http_code}' --cacert "$TLS_DIR/ca.crt" "https://$AUTH/v2/")
[ "$code" = 401 ] || die "registry on $AUTH answered $code to an anonymous /v2/ (want 401)"
say "registry: all three answer (/v2/ on $PLAIN, $MIRROR; 401 without credentials on $AUTH)"

if ! docker login "$AUTH" -u "$AUTH_USER" --password-stdin <<<"$AUTH_PASSWORD" >/dev/null 2>&1; then
    die "docker login $AUTH failed"
fi

# ----------------------------------------------------------------------------------------- 5. base images
# The seeded Debian images follow the recipe of the official ones (Debian's debuerreotype): minbase, then the
# same container configuration (apt.conf.d/docker-*, dpkg force-unsafe-io, policy-rc.d), APT's default
# recommends ON, and a -slim variant whose dpkg excludes docs, man pages, info and locales. Bump the recipe
# version when this changes: the mirror's images are then replaced on the next run.
DEBIAN_SEED_RECIPE=2
DEBIAN_SEED_MARK="$STATE_DIR/seed-debian.recipe"

run_debootstrap() {  # run_debootstrap DIR
    rm -rf "$1"
    debootstrap --variant=minbase --arch=amd64 bookworm "$1" "$DEBIAN_MIRROR" > "$LOG_DIR/debootstrap.log" 2>&1
}

debian_container_config() {  # debian_container_config ROOT: the settings the official images carry
    local root=$1
    local clean='"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true";'
    printf '#!/bin/sh\n# services cannot start during an image build\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
    chmod 0755 "$root/usr/sbin/policy-rc.d"
    printf '# no fsync after unpacking: a failed build starts again from scratch anyway\nforce-unsafe-io\n' \
        > "$root/etc/dpkg/dpkg.cfg.d/docker-apt-speedup"
    printf '# autoremove also removes what only a Suggests kept\nApt::AutoRemove::SuggestsImportant "false";\n' \
        > "$root/etc/apt/apt.conf.d/docker-autoremove-suggests"
    cat > "$root/etc/apt/apt.conf.d/docker-clean" <<EOF
# downloaded .debs and the binary caches are deleted after every dpkg run and every update
DPkg::Post-Invoke { $clean };
APT::Update::Post-Invoke { $clean };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
    printf '# package lists stay compressed on disk\nAcquire::GzipIndexes "true";\n' \
        > "$root/etc/apt/apt.conf.d/docker-gzip-indexes"
    printf '# no translated package descriptions\nAcquire::Languages "none";\n' \
        > "$root/etc/apt/apt.conf.d/docker-no-languages"
    chmod 0644 "$root"/etc/apt/apt.conf.d/docker-* "$root/etc/dpkg/dpkg.cfg.d/docker-apt-speedup"
    rm -f "$root/etc/apt/sources.list"
    cat > "$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $DEBIAN_MIRROR
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $DEBIAN_SECURITY_MIRROR
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    # no caches, no apt lists, no logs, no machine identity (as in the official image)
    rm -rf "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* \
           "$root"/var/log/*.log "$root"/var/cache/ldconfig/aux-cache "$root"/tmp/* "$root"/root/.bash_history \
           "$root/etc/machine-id"
    mkdir -p "$root/var/lib/apt/lists/partial"
}

debian_slimify() {  # debian_slimify ROOT: what the official -slim variant removes, and keeps out via dpkg
    local root=$1 pattern dir
    local excludes=(/usr/share/doc/'*' /usr/share/info/'*' /usr/share/linda/'*' /usr/share/lintian/overrides/'*'
                    /usr/share/locale/'*' /usr/share/man/'*' /usr/share/groff/'*')
    {
        echo '# slim variant: documentation, manuals and translations are not installed'
        for pattern in "${excludes[@]}"; do echo "path-exclude $pattern"; done
        echo 'path-include /usr/share/doc/*/copyright'
        echo 'path-include /usr/share/locale/locale.alias'
    } > "$root/etc/dpkg/dpkg.cfg.d/docker"
    chmod 0644 "$root/etc/dpkg/dpkg.cfg.d/docker"
    for pattern in "${excludes[@]}"; do
        dir="$root${pattern%/\*}"
        [ -d "$dir" ] || continue
        find "$dir" -mindepth 1 -depth ! -type d ! -path "$root/usr/share/doc/*/copyright" \
            ! -path "$root/usr/share/locale/locale.alias" -exec rm -f {} +
        find "$dir" -mindepth 1 -depth -type d -empty -delete
    done
    mkdir -p "$root"/usr/share/man/man{1,2,3,4,5,6,7,8}
}

debian_seed_tar() {  # debian_seed_tar VARIANT ("" or "-slim") -> path of the cached root filesystem tar
    echo "$CACHE_DIR/debian-bookworm${1}-amd64-r$DEBIAN_SEED_RECIPE.tar"
}

seed_debian() {
    local full slim
    full=$(debian_seed_tar "")
    slim=$(debian_seed_tar -slim)
    if [ ! -s "$full" ] || [ ! -s "$slim" ]; then
        local root="$CACHE_DIR/debian-rootfs"
        say "seed: debootstrap --variant=minbase bookworm from $DEBIAN_MIRROR (about 30 s)"
        retry run_debootstrap "$root" || die "debootstrap failed; see $LOG_DIR/debootstrap.log"
        debian_container_config "$root"
        tar --numeric-owner -C "$root" -cf "$full.tmp" .
        debian_slimify "$root"
        tar --numeric-owner -C "$root" -cf "$slim.tmp" .
        mv "$full.tmp" "$full"
        mv "$slim.tmp" "$slim"
        rm -rf "$root"
        rm -f "$CACHE_DIR/debian-bookworm-amd64.tar"   # recipe 1 (recommends off, slim = full)
    fi
    say "seed: importing debian:bookworm and debian:bookworm-slim and pushing them to the mirror"
    local platform=(--platform linux/amd64) tag
    if [ "$ENGINE_FLAVOR" != trixie ]; then platform=(); fi   # 20.10 has it only in experimental mode
    docker import --change 'CMD ["bash"]' "${platform[@]}" "$full" "$MIRROR/library/debian:bookworm" >/dev/null
    docker import --change 'CMD ["bash"]' "${platform[@]}" "$slim" "$MIRROR/library/debian:bookworm-slim" >/dev/null
    docker tag "$MIRROR/library/debian:bookworm" "$MIRROR/library/debian:12"
    docker tag "$MIRROR/library/debian:bookworm-slim" "$MIRROR/library/debian:12-slim"
    for tag in bookworm bookworm-slim 12 12-slim; do
        docker push -q "$MIRROR/library/debian:$tag" >/dev/null
    done
    echo "$DEBIAN_SEED_RECIPE" > "$DEBIAN_SEED_MARK"
}

busybox_rootfs() {  # busybox_rootfs DIR BUSYBOX-BINARY
    local dir=$1 bin=$2
    mkdir -p "$dir/bin" "$dir/sbin" "$dir/usr/bin" "$dir/usr/sbin" "$dir/etc" "$dir/root" "$dir/tmp" \
             "$dir/var/spool/mail" "$dir/var/www" "$dir/home"
    chmod 1777 "$dir/tmp"; chmod 0700 "$dir/root"
    cp "$bin" "$dir/bin/busybox"; chmod 0755 "$dir/bin/busybox"
    # the applet list comes from the host's busybox-static, the same Debian version as both binaries
    local applet
    busybox --list-full | while read -r applet; do
        [ "$applet" = bin/busybox ] && continue
        [ -e "$dir/$applet" ] || ln -s /bin/busybox "$dir/$applet"
    done
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n' > "$dir/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' > "$dir/etc/group"
}

seed_busybox() {
    local ctx="$CACHE_DIR/busybox-context"
    if [ ! -x "$ctx/rootfs-arm64/bin/busybox" ] || [ ! -x "$ctx/rootfs-amd64/bin/busybox" ]; then
        say "seed: fetching busybox-static for arm64 (separate apt state; the host is left alone)"
        side_apt_prepare bookworm-arm64 \
            "deb [arch=arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $DEBIAN_MIRROR bookworm main" \
            -o APT::Architecture=arm64 -o APT::Architectures::=arm64
        rm -f "$STATE_DIR"/apt-bookworm-arm64/debs/*.deb
        side_apt_download bookworm-arm64 -o APT::Architecture=arm64 -o APT::Architectures::=arm64 -- busybox-static:arm64
        rm -rf "$ctx"; mkdir -p "$ctx/x"
        dpkg-deb -x "$STATE_DIR"/apt-bookworm-arm64/debs/busybox-static_*_arm64.deb "$ctx/x"
        busybox_rootfs "$ctx/rootfs-arm64" "$ctx/x/bin/busybox"
        busybox_rootfs "$ctx/rootfs-amd64" "$(command -v busybox)"
        rm -rf "$ctx/x"
        cat > "$ctx/Dockerfile" <<'EOF'
FROM scratch
ARG TARGETARCH
COPY rootfs-${TARGETARCH}/ /
CMD ["sh"]
EOF
    fi
    local version
    version=$(dpkg-query -W -f '${Version}' busybox-static | sed -n 's/^[0-9]*:\{0,1\}\([0-9.]*\).*/\1/p')
    if [ "$ENGINE_FLAVOR" = trixie ]; then
        say "seed: building busybox:latest (busybox $version, linux/amd64 + linux/arm64) and pushing it to the mirror"
        docker buildx build -q --platform linux/amd64,linux/arm64 --provenance=false \
            -t "$MIRROR/library/busybox:latest" -t "$MIRROR/library/busybox:${version%.*}" \
            -t "$MIRROR/library/busybox:$version" --push "$ctx" > "$LOG_DIR/seed-busybox.log" 2>&1 \
            || die "busybox build failed; see $LOG_DIR/seed-busybox.log"
    else
        say "seed: building busybox:latest (busybox $version, linux/amd64 only: classic builder) and pushing it"
        docker build -q --build-arg TARGETARCH=amd64 -t "$MIRROR/library/busybox:latest" "$ctx" >/dev/null
        docker push -q "$MIRROR/library/busybox:latest" >/dev/null
    fi
}

DEBIAN_RESEEDED=0
if registry_has "$MIRROR" library/debian bookworm && registry_has "$MIRROR" library/debian bookworm-slim \
    && registry_has "$MIRROR" library/debian 12-slim \
    && [ "$(cat "$DEBIAN_SEED_MARK" 2>/dev/null)" = "$DEBIAN_SEED_RECIPE" ]; then
    say "seed: debian:bookworm and debian:bookworm-slim (recipe $DEBIAN_SEED_RECIPE) already in the mirror"
else
    seed_debian
    DEBIAN_RESEEDED=1
fi
if registry_has "$MIRROR" library/busybox latest; then
    say "seed: busybox:latest already in the mirror"
else
    seed_busybox
fi

# The engine resolves Docker Hub names through the mirror (nothing else is reachable here).
if [ "$DEBIAN_RESEEDED" = 1 ] || ! docker image inspect debian:bookworm >/dev/null 2>&1; then
    docker pull -q debian:bookworm >/dev/null || die "docker pull debian:bookworm through the mirror failed"
fi
if [ "$DEBIAN_RESEEDED" = 1 ] && docker image inspect debian:bookworm-slim >/dev/null 2>&1; then
    docker pull -q debian:bookworm-slim >/dev/null || die "docker pull debian:bookworm-slim through the mirror failed"
fi
if ! docker image inspect busybox:latest >/dev/null 2>&1; then
    docker pull -q busybox:latest >/dev/null || die "docker pull busybox:latest through the mirror failed"
fi
say "seed: debian:bookworm and busybox:latest resolve through the mirror"

# ------------------------------------------------------------------------------ 6. BuildKit builders
# Two standalone buildkitd daemons on loopback, served over mutual TLS, and three buildx builders on them:
#   dockgen-remote      remote driver -> daemon A (127.0.0.1:1234; linux/amd64 natively, linux/arm64 by QEMU)
#   dockgen-multinode   remote driver, two nodes: linux/amd64 on daemon A, linux/arm64 on daemon B (:1235)
#   dockgen-container   docker-container driver running a local image made of the same binaries
# The binaries (buildkitd, buildctl; static) come from $DOCKGEN_BUILDKIT_DIR, else from the first
# shared/tools/buildkit found next to the repository or one of its parents. Without them this part is skipped.
BUILDKIT_STATE="$STATE_DIR/buildkit"
BUILDKIT_TLS="$BUILDKIT_STATE/tls"
BUILDKIT_A=127.0.0.1:1234
BUILDKIT_B=127.0.0.1:1235
BUILDKIT_IMAGE="$PLAIN/dockgen-infra/buildkit:v0.26.0"

find_buildkit_dir() {
    if [ -n "${DOCKGEN_BUILDKIT_DIR:-}" ]; then echo "$DOCKGEN_BUILDKIT_DIR"; return 0; fi
    local dir
    dir=$(cd "$(dirname "$0")/.." && pwd)
    while [ "$dir" != / ]; do
        dir=$(dirname "$dir")
        if [ -x "$dir/shared/tools/buildkit/buildkitd" ]; then echo "$dir/shared/tools/buildkit"; return 0; fi
    done
    return 1
}

buildkit_certs() {
    local d=$BUILDKIT_TLS
    mkdir -p "$d"
    if [ -s "$d/client.crt" ] && openssl verify -CAfile "$d/ca.crt" "$d/server.crt" "$d/client.crt" >/dev/null 2>&1; then
        return 0
    fi
    say "buildkit: generating a CA, a server certificate (127.0.0.1) and a client certificate for mTLS"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=dockgen buildkit CA" \
        -keyout "$d/ca.key" -out "$d/ca.crt" 2>/dev/null
    local who
    for who in server client; do
        openssl req -newkey rsa:2048 -nodes -subj "/CN=dockgen buildkit $who" \
            -keyout "$d/$who.key" -out "$d/$who.csr" 2>/dev/null
    done
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
        > "$d/server.ext"
    printf 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n' > "$d/client.ext"
    for who in server client; do
        openssl x509 -req -in "$d/$who.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days 3650 \
            -extfile "$d/$who.ext" -out "$d/$who.crt" 2>/dev/null
    done
    chmod 0600 "$d"/*.key
    # running daemons must pick up the new pair
    for who in a b; do
        if pid_alive "buildkitd-$who"; then kill "$(cat "$RUN_DIR/buildkitd-$who.pid")"; sleep 1; fi
    done
}

buildkit_config() {  # buildkit_config ROOT CA-PATH : buildkitd.toml on stdout
    cat <<EOF
root = "$1"
[worker.oci]
  enabled = true
  binary = "runc"
[worker.containerd]
  enabled = false
[registry."docker.io"]
  mirrors = ["$MIRROR"]
[registry."$PLAIN"]
  http = true
[registry."$MIRROR"]
  http = true
[registry."localhost:5000"]
  http = true
[registry."$AUTH"]
  ca = ["$2"]
EOF
}

buildctl_at() {  # buildctl_at ADDR ARGS... : buildctl over mTLS
    local addr=$1; shift
    "$BUILDKIT_DIR/buildctl" --addr "tcp://$addr" --tlscacert "$BUILDKIT_TLS/ca.crt" \
        --tlscert "$BUILDKIT_TLS/client.crt" --tlskey "$BUILDKIT_TLS/client.key" "$@"
}

start_buildkitd() {  # start_buildkitd a|b ADDR
    local who=$1 addr=$2
    buildkit_config "$BUILDKIT_STATE/root-$who" "$TLS_DIR/ca.crt" > "$BUILDKIT_STATE/buildkitd-$who.toml"
    if buildctl_at "$addr" debug workers >/dev/null 2>&1; then
        say "buildkit: daemon $who already answers on $addr"
        return 0
    fi
    if pid_alive "buildkitd-$who"; then kill "$(cat "$RUN_DIR/buildkitd-$who.pid")"; sleep 1; fi
    say "buildkit: starting daemon $who on $addr (mTLS, OCI worker with runc)"
    start_bg "buildkitd-$who" "$BUILDKIT_DIR/buildkitd" --config "$BUILDKIT_STATE/buildkitd-$who.toml" \
        --addr "tcp://$addr" --tlscacert "$BUILDKIT_TLS/ca.crt" \
        --tlscert "$BUILDKIT_TLS/server.crt" --tlskey "$BUILDKIT_TLS/server.key"
    wait_for 60 "buildkitd $who on $addr (see $LOG_DIR/buildkitd-$who.log)" buildctl_at "$addr" debug workers
}

remote_opts() {
    echo "cacert=$BUILDKIT_TLS/ca.crt,cert=$BUILDKIT_TLS/client.crt,key=$BUILDKIT_TLS/client.key"
}

builder_nodes() {  # builder_nodes NAME -> number of nodes (0 when the builder does not exist)
    { docker buildx inspect "$1" 2>/dev/null || true; } | awk '/^Name:/ {n++} END {print (n > 0 ? n - 1 : 0)}'
}

# The image for the docker-container driver: the static buildkitd/buildctl, Debian's runc (and the
# libseccomp it links), on the seeded debian:bookworm. Built by the engine, kept in the engine's
# image store and in the plain registry on loopback, so buildx's pull of it never leaves the machine.
buildkit_image() {
    if docker image inspect "$BUILDKIT_IMAGE" >/dev/null 2>&1 \
       && registry_has "$PLAIN" dockgen-infra/buildkit v0.26.0; then
        return 0
    fi
    say "buildkit: assembling $BUILDKIT_IMAGE from the static binaries and Debian's runc"
    local ctx="$BUILDKIT_STATE/image-context"
    rm -rf "$ctx"; mkdir -p "$ctx"
    cp "$BUILDKIT_DIR/buildkitd" "$BUILDKIT_DIR/buildctl" "$(command -v runc)" "$ctx/"
    cp "$(readlink -f /lib/x86_64-linux-gnu/libseccomp.so.2)" "$ctx/libseccomp.so.2"
    cat > "$ctx/Dockerfile" <<'EOF'
FROM debian:bookworm
COPY buildkitd buildctl runc /usr/bin/
COPY libseccomp.so.2 /usr/lib/x86_64-linux-gnu/libseccomp.so.2
VOLUME /var/lib/buildkit
ENTRYPOINT ["buildkitd"]
EOF
    docker build -q -t "$BUILDKIT_IMAGE" "$ctx" > "$LOG_DIR/buildkit-image.log" 2>&1 \
        || die "building $BUILDKIT_IMAGE failed; see $LOG_DIR/buildkit-image.log"
    docker push -q "$BUILDKIT_IMAGE" >> "$LOG_DIR/buildkit-image.log" 2>&1 \
        || die "pushing $BUILDKIT_IMAGE failed; see $LOG_DIR/buildkit-image.log"
    rm -rf "$ctx"
}

buildkit_builders() {
    local opts
    opts=$(remote_opts)
    if [ "$(builder_nodes dockgen-remote)" != 1 ]; then
        docker buildx rm dockgen-remote >/dev/null 2>&1 || true
        say "buildkit: creating builder dockgen-remote (remote driver, $BUILDKIT_A)"
        docker buildx create --name dockgen-remote --driver remote --driver-opt "$opts" "tcp://$BUILDKIT_A" >/dev/null
    fi
    if [ "$(builder_nodes dockgen-multinode)" != 2 ]; then
        docker buildx rm dockgen-multinode >/dev/null 2>&1 || true
        say "buildkit: creating builder dockgen-multinode (linux/amd64 on $BUILDKIT_A + linux/arm64 on $BUILDKIT_B)"
        docker buildx create --name dockgen-multinode --node amd64 --platform linux/amd64 \
            --driver remote --driver-opt "$opts" "tcp://$BUILDKIT_A" >/dev/null
        docker buildx create --append --name dockgen-multinode --node arm64 --platform linux/arm64 \
            --driver remote --driver-opt "$opts" "tcp://$BUILDKIT_B" >/dev/null
    fi
    # buildx copies the config and the CA files it names into the container (under /etc/buildkit/certs)
    buildkit_config /var/lib/buildkit "$TLS_DIR/ca.crt" > "$BUILDKIT_STATE/container.toml"
    if [ "$(builder_nodes dockgen-container)" != 1 ]; then
        docker buildx rm dockgen-container >/dev/null 2>&1 || true
        say "buildkit: creating builder dockgen-container (docker-container driver, image $BUILDKIT_IMAGE)"
        docker buildx create --name dockgen-container --driver docker-container \
            --driver-opt "image=$BUILDKIT_IMAGE,network=host" \
            --buildkitd-config "$BUILDKIT_STATE/container.toml" >/dev/null
    fi
    local b
    for b in dockgen-remote dockgen-multinode dockgen-container; do
        timeout 120 docker buildx inspect --bootstrap "$b" > "$LOG_DIR/buildx-$b.log" 2>&1 \
            || die "builder $b does not start; see $LOG_DIR/buildx-$b.log"
    done
    say "buildkit: builders dockgen-remote, dockgen-multinode, dockgen-container are running"
}

if [ "$ENGINE_FLAVOR" != trixie ]; then
    say "buildkit: skipped (needs the trixie engine's buildx)"
elif ! BUILDKIT_DIR=$(find_buildkit_dir) || [ ! -x "$BUILDKIT_DIR/buildkitd" ]; then
    say "buildkit: skipped: no buildkitd/buildctl found (set DOCKGEN_BUILDKIT_DIR to their directory)"
else
    command -v runc >/dev/null || with_no_service_start apt-get install -y -qq --no-install-recommends runc \
        > "$LOG_DIR/apt-runc.log" 2>&1 || die "apt-get install runc failed; see $LOG_DIR/apt-runc.log"
    mkdir -p "$BUILDKIT_STATE"
    buildkit_certs
    start_buildkitd a "$BUILDKIT_A"
    start_buildkitd b "$BUILDKIT_B"
    buildkit_image
    buildkit_builders
fi

# ------------------------------------------------------------------------------------------- 7. checks
if [ "$RUN_CHECKS" = 1 ]; then
    bash "$(dirname "$0")/infra-check.sh"
fi

say "ready: engine ($ENGINE_FLAVOR), registries $PLAIN $MIRROR $AUTH (user $AUTH_USER), CA $TLS_DIR/ca.crt"
