FROM alpine:3.19
RUN apk update && apk add curl
RUN apk add --no-cache --virtual .build-deps gcc musl-dev \
 && pip install cryptography \
 && apk del .build-deps
RUN apk --no-cache add bash=5.2.21-r0
