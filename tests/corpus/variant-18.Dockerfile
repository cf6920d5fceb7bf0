FROM busybox
WORKDIR /app
RUN true
COPY . .
USER 1000
CMD ["./start"]
