FROM busybox
RUN cat 0<<EOT
hello
EOT
