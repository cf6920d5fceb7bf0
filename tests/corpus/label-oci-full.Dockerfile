FROM alpine
LABEL org.opencontainers.image.created="2024-01-01T00:00:00Z" \
      org.opencontainers.image.source="https://example.com/repo" \
      org.opencontainers.image.revision="abc123" \
      org.opencontainers.image.licenses="Apache-2.0"
