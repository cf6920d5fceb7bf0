FROM --platform=linux/arm64 busybox AS arm
FROM --platform=linux/amd64 busybox AS amd
FROM busybox
COPY --from=arm /bin/busybox /arm-busybox
COPY --from=amd /bin/busybox /amd-busybox
