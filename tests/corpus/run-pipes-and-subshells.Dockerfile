FROM debian:bookworm
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN (cd /tmp && wget -q https://example.com/x.tgz) | tee /log || { echo failed; exit 1; }
RUN if [ -f /x ]; then echo yes; else echo no; fi
RUN for i in 1 2 3; do echo $i; done
