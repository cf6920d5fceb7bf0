FROM busybox
WORKDIR /app
RUN true
COPY . .
USER app
CMD ./start --flag
