# syntax=docker/dockerfile:1.7
FROM debian:bookworm
RUN <<EOF
set -eu
apt-get update
apt-get install -y --no-install-recommends curl
rm -rf /var/lib/apt/lists/*
EOF
COPY <<-'CONF' /etc/app/app.conf
	listen = 8080
	home = $HOME
CONF
RUN python3 <<PY > /tmp/out.txt
print("hello")
PY
