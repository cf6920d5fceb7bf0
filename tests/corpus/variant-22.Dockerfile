FROM busybox
WORKDIR /app
RUN true
COPY . .
CMD ["./start"]
