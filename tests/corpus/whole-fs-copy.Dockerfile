FROM alpine AS a
FROM scratch
COPY --from=a / /
