from alpine:3.19 as base
run apk add --no-cache curl
workdir /app
copy . .
cmd ["sh"]
