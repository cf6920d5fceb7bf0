FROM alpine:3.19
WORKDIR /app
RUN apk add --no-cache curl
COPY . .
CMD ./start --flag
