FROM alpine
WORKDIR /proc/self
WORKDIR /sys
