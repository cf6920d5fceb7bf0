FROM debian:bookworm
RUN set -eux; apt-get update; apt-get install -y --no-install-recommends ca-certificates curl; rm -rf /var/lib/apt/lists/*; curl --version
RUN if [ -f /etc/debian_version ]; then echo "debian $(cat /etc/debian_version)" > /etc/motd; else echo other > /etc/motd; fi
RUN echo "a   b" &&     echo 'c   d'
