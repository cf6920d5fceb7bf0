#!/usr/bin/env bash
# Stop what scripts/infra.sh started: the BuildKit builders and daemons, the three registries, dockerd and
# containerd (in that order).
# Only processes whose pid scripts/infra.sh recorded are signalled. Installed packages, images and
# registry data stay, so the next scripts/infra.sh is quick.
# Usage: scripts/infra-stop.sh [--purge]   (--purge also deletes the registries' stored images and the
#                                          BuildKit daemons' caches)
set -Eeuo pipefail

STATE_DIR=${DOCKGEN_INFRA_STATE:-/var/lib/dockgen-infra}
RUN_DIR="$STATE_DIR/run"
PURGE=0
for arg in "$@"; do
    case "$arg" in
        --purge) PURGE=1 ;;
        -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
        *) echo "infra-stop: unknown argument: $arg (try --help)" >&2; exit 2 ;;
    esac
done
say() { printf 'infra-stop: %s\n' "$*"; }

stop_one() {  # stop_one NAME SECONDS
    local name=$1 limit=$2 f="$RUN_DIR/$1.pid" pid i
    if [ ! -s "$f" ]; then say "$name: not started by infra.sh (no pid file)"; return 0; fi
    pid=$(cat "$f")
    if ! kill -0 "$pid" 2>/dev/null \
       || ! grep -qF "$(cat "$RUN_DIR/$name.exe" 2>/dev/null || echo '?')" "/proc/$pid/cmdline" 2>/dev/null; then
        say "$name: not running"; rm -f "$f" "$RUN_DIR/$name.exe"; return 0
    fi
    say "$name: stopping pid $pid"
    kill -TERM "$pid" 2>/dev/null || true
    for (( i = 0; i < limit * 4; i++ )); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.25
    done
    if kill -0 "$pid" 2>/dev/null; then
        say "$name: still running after ${limit}s; sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$f" "$RUN_DIR/$name.exe"
}

# the docker-container builder's container (its state volume stays), then the standalone daemons
if command -v docker >/dev/null && docker buildx inspect dockgen-container >/dev/null 2>&1; then
    say "dockgen-container: stopping the builder's container"
    timeout 60 docker buildx stop dockgen-container >/dev/null 2>&1 || say "dockgen-container: could not stop it"
fi
stop_one buildkitd-a 20
stop_one buildkitd-b 20
stop_one registry-plain 10
stop_one registry-mirror 10
stop_one registry-auth 10
stop_one dockerd 40
stop_one containerd 20

if [ "$PURGE" = 1 ]; then
    say "purging registry storage under $STATE_DIR"
    rm -rf "$STATE_DIR/registry-plain" "$STATE_DIR/registry-mirror" "$STATE_DIR/registry-auth"
    rm -rf "$STATE_DIR/buildkit/root-a" "$STATE_DIR/buildkit/root-b"
fi
say "done"
