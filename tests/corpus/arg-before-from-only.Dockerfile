ARG A=1
ARG B
FROM alpine
