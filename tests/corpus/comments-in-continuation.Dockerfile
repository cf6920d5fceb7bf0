FROM debian:bookworm
RUN apt-get update \
# install tools
    && apt-get install -y --no-install-recommends git \
    # clean up

    && rm -rf /var/lib/apt/lists/*
