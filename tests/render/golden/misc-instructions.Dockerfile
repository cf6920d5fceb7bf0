FROM busybox:1.36
LABEL org.opencontainers.image.title="misc" org.opencontainers.image.description="every other instruction" org.opencontainers.image.licenses=Apache-2.0
ARG BUILD_DATE
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.tar.gz /opt/
SHELL ["/bin/sh", "-o", "pipefail", "-c"]
VOLUME ["/data"]
STOPSIGNAL SIGQUIT
ONBUILD COPY . /app/src
ONBUILD RUN make -C /app/src
HEALTHCHECK NONE
ENTRYPOINT ["/bin/sh", "-c"]
CMD ["echo hello"]
