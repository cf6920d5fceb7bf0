#!/usr/bin/env bash
# End-to-end smoke checks of what scripts/infra.sh set up. Prints one line per check; exits non-zero on
# the first failure. Run by `scripts/infra.sh --check`, or on its own once the infrastructure is up.
set -Eeuo pipefail

STATE_DIR=${DOCKGEN_INFRA_STATE:-/var/lib/dockgen-infra}
PLAIN=127.0.0.1:5000
AUTH=127.0.0.1:5443
AUTH_USER=dockgen
AUTH_PASSWORD=dockgen-test-password
START_TS=$(date +%s)
say() { printf 'infra-check: [%4ss] %s\n' "$(( $(date +%s) - START_TS ))" "$*"; }
fail() { printf 'infra-check: FAIL: %s\n' "$*" >&2; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
TAG="check-$$-$(date +%s)"

# 1. classic build + run + push to the plain registry; RUN with apt-get over host networking
mkdir -p "$WORK/apt"
cat > "$WORK/apt/Dockerfile" <<'EOF'
FROM debian:bookworm
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends ca-certificates >/dev/null \
    && rm -rf /var/lib/apt/lists/* && echo built > /built
CMD ["cat", "/built"]
EOF
docker build -q --network host -t "$PLAIN/check/apt:$TAG" "$WORK/apt" >/dev/null || fail "docker build (apt-get in RUN)"
out=$(docker run --rm "$PLAIN/check/apt:$TAG")
[ "$out" = built ] || fail "docker run printed '$out'"
docker push -q "$PLAIN/check/apt:$TAG" >/dev/null || fail "docker push to $PLAIN"
say "ok: build FROM debian:bookworm with apt-get, run, push to $PLAIN"

# 2. bridge networking: a container reaches a registry on the host's loopback? (it can't: loopback is
#    per-namespace) — instead check that a default-network container starts and has an address
docker run --rm busybox:latest sh -c 'ip -4 addr show eth0 | grep -q inet' || fail "bridge network in docker run"
say "ok: docker run on the default bridge network"

# 3. push to the TLS + auth registry after login; pull it back by digest
docker login "$AUTH" -u "$AUTH_USER" --password-stdin <<<"$AUTH_PASSWORD" >/dev/null 2>&1 || fail "docker login $AUTH"
docker tag "$PLAIN/check/apt:$TAG" "$AUTH/check/apt:$TAG"
docker push -q "$AUTH/check/apt:$TAG" >/dev/null || fail "docker push to $AUTH"
code=$(curl -sS -o /dev/null -w '%{http_code}' --cacert "$STATE_DIR/tls/ca.crt" -u "$AUTH_USER:wrong" "https://$AUTH/v2/")
[ "$code" = 401 ] || fail "wrong password on $AUTH answered $code (want 401)"
say "ok: login + push to $AUTH; a wrong password gets 401"

FLAVOR=$(cat "$STATE_DIR/engine-flavor" 2>/dev/null || echo unknown)
if [ "$FLAVOR" != trixie ]; then
    say "skipped: buildx checks (engine flavor '$FLAVOR' has no buildx / containerd image store)"
    docker image rm -f "$PLAIN/check/apt:$TAG" "$AUTH/check/apt:$TAG" >/dev/null 2>&1 || true
    say "all checks passed (buildx checks skipped)"
    exit 0
fi

# 4. multi-platform buildx build with a RUN step, pushed as an index, with provenance attestations
mkdir -p "$WORK/multi"
cat > "$WORK/multi/Dockerfile" <<'EOF'
FROM busybox:latest
RUN uname -m > /arch
CMD ["cat", "/arch"]
EOF
docker buildx build -q --platform linux/amd64,linux/arm64 --provenance=true \
    -t "$PLAIN/check/multi:$TAG" --push "$WORK/multi" >/dev/null || fail "buildx multi-platform --push"
idx=$(curl -fsS -H 'Accept: application/vnd.oci.image.index.v1+json' "http://$PLAIN/v2/check/multi/manifests/$TAG")
python3 - "$idx" <<'EOF' || fail "index of check/multi lacks a platform or the attestations"
import json, sys
idx = json.loads(sys.argv[1])
plats = {(m["platform"]["os"], m["platform"]["architecture"]) for m in idx["manifests"]}
assert ("linux", "amd64") in plats and ("linux", "arm64") in plats, plats
kinds = [m.get("annotations", {}).get("vnd.docker.reference.type") for m in idx["manifests"]]
assert kinds.count("attestation-manifest") == 2, kinds
EOF
arm=$(docker run --rm --platform linux/arm64 "$PLAIN/check/multi:$TAG")
[ "$arm" = aarch64 ] || fail "arm64 image's RUN recorded '$arm' (want aarch64)"
say "ok: buildx linux/amd64+linux/arm64 index with provenance pushed to $PLAIN; arm64 RUN ran under QEMU"

# 5. registry build cache: export, then a fresh build that imports it
docker buildx build -q --cache-to "type=registry,ref=$PLAIN/check/cache:$TAG,mode=max" \
    -t "check/cache:$TAG" "$WORK/multi" >/dev/null || fail "buildx --cache-to type=registry"
docker buildx prune -af >/dev/null
log=$(docker buildx build --progress=plain --cache-from "type=registry,ref=$PLAIN/check/cache:$TAG" \
    -t "check/cache:$TAG" "$WORK/multi" 2>&1) || fail "buildx --cache-from type=registry"
grep -q CACHED <<<"$log" || fail "--cache-from did not reuse the cached RUN step"
say "ok: --cache-to/--cache-from type=registry on $PLAIN"

# 6. skopeo reads from both kinds of registry
skopeo inspect --tls-verify=false "docker://$PLAIN/check/multi:$TAG" --raw >/dev/null || fail "skopeo on $PLAIN"
skopeo inspect --creds "$AUTH_USER:$AUTH_PASSWORD" "docker://$AUTH/check/apt:$TAG" >/dev/null || fail "skopeo on $AUTH"
say "ok: skopeo inspects images on $PLAIN and $AUTH"

# 7. the BuildKit builders (when infra.sh made them): a two-platform build on the two-node builder, one
#    platform per daemon, and a push by digest from the docker-container builder
if docker buildx inspect dockgen-multinode >/dev/null 2>&1; then
    docker buildx build -q --builder dockgen-multinode --platform linux/amd64,linux/arm64 --provenance=false \
        -t "$PLAIN/check/nodes:$TAG" --push "$WORK/multi" >/dev/null || fail "build on dockgen-multinode"
    idx=$(curl -fsS -H 'Accept: application/vnd.oci.image.index.v1+json' \
        -H 'Accept: application/vnd.docker.distribution.manifest.list.v2+json' \
        "http://$PLAIN/v2/check/nodes/manifests/$TAG")
    if ! grep -q arm64 <<<"$idx" || ! grep -q amd64 <<<"$idx"; then fail "dockgen-multinode index lacks a platform"; fi
    docker buildx build -q --builder dockgen-container --provenance=false \
        --output "type=image,name=$PLAIN/check/container,push=true,push-by-digest=true" "$WORK/multi" >/dev/null \
        || fail "push by digest from dockgen-container"
    say "ok: dockgen-multinode built linux/amd64+linux/arm64 into one index; dockgen-container pushed by digest"
else
    say "skipped: BuildKit builders (scripts/infra.sh found no buildkitd)"
fi

# clean up what the checks made (registry manifests stay until the registries' data is wiped)
docker image rm -f "$PLAIN/check/apt:$TAG" "$AUTH/check/apt:$TAG" "check/cache:$TAG" "$PLAIN/check/multi:$TAG" >/dev/null 2>&1 || true
say "all checks passed"
