FROM alpine
ENV PORT=8080
CMD ["sh", "-c", "exec server --port=$PORT"]
