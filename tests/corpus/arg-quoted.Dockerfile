FROM alpine
ARG MSG="hello world"
ARG PATHS='a b c'
