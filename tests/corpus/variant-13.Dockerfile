FROM ubuntu:22.04
WORKDIR /app
RUN apt-get update && apt-get install -y curl
COPY . .
USER 1000
CMD ./start --flag
