FROM alpine
# hadolint ignore=DL3018
RUN apk add curl
# dockgen: ignore=DG001
RUN apk add wget
