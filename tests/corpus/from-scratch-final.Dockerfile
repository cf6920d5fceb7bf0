FROM busybox AS b
RUN echo hi > /hi
FROM scratch
COPY --from=b /hi /hi
CMD ["/hi"]
