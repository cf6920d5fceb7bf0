FROM alpine
ENTRYPOINT exec /app/start.sh --port 8080
CMD --verbose
