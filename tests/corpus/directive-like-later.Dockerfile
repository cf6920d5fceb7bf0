FROM alpine
# syntax=docker/dockerfile:1
RUN echo not a directive
