FROM alpine
COPY -- --weird-name /dst/
