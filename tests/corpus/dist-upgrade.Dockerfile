FROM debian:bookworm
RUN apt-get update && apt-get dist-upgrade -y && apt-get upgrade -y
