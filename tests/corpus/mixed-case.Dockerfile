FROM alpine:3.19 AS base
run apk add --no-cache curl
Workdir /app
