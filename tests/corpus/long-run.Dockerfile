FROM debian:bookworm
RUN set -eux; apt-get update; apt-get install -y --no-install-recommends ca-certificates curl gnupg dirmngr; rm -rf /var/lib/apt/lists/*; curl -fsSLo /tmp/key.asc https://example.com/key.asc; gpg --batch --import /tmp/key.asc; rm /tmp/key.asc; apt-get purge -y --auto-remove gnupg dirmngr
