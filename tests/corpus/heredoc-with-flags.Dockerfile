FROM debian
RUN --mount=type=cache,target=/var/cache/apt <<EOT bash
set -e
apt-get update
EOT
