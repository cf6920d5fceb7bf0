FROM busybox
COPY <<EOF /etc/app.conf
listen=8080
EOF
COPY <<-'SCRIPT' /usr/local/bin/run.sh
	#!/bin/sh
	echo "$HOME"
	SCRIPT
