FROM alpine:3.18 AS builder
LABEL maintainer="dev@example.com"
ENV NODE_ENV=production
RUN apk add --no-cache \
 && npm install --production \
 && npm cache clean --force
WORKDIR /app
COPY . .
EXPOSE 8080
CMD ["node", "server.js"]
