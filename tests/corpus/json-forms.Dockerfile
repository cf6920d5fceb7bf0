FROM alpine
SHELL ["/bin/ash", "-eo", "pipefail", "-c"]
RUN ["echo", "exec form"]
VOLUME ["/data", "/logs"]
VOLUME /cache /tmp/x
COPY ["a file.txt", "/dst/"]
ENTRYPOINT ["/entry.sh"]
CMD []
