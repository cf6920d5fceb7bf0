FROM busybox
COPY --chmod=755 <<EOF /entry.sh
#!/bin/sh
exec "$@"
EOF
ENTRYPOINT ["/entry.sh"]
