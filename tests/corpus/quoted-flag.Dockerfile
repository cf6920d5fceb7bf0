FROM alpine
RUN --mount="type=secret,id=my secret" cat /run/secrets/my\ secret
