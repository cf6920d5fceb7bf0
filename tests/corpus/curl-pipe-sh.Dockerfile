FROM debian:bookworm
RUN curl -fsSL https://example.com/install.sh | sh
RUN wget -qO- https://example.com/get | bash -s -- --yes
