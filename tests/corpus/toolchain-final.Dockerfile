FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends build-essential gcc make && rm -rf /var/lib/apt/lists/*
COPY . /src
RUN make -C /src
CMD ["/src/app"]
