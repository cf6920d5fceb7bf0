FROM alpine:3.19
WORKDIR /app
RUN apk add --no-cache curl
COPY . .
USER 1000
CMD ./start --flag
