#!/bin/sh
# Reports the configuration and who runs the service.
touch /tmp/probe
echo "user: $(stat -c %U /tmp/probe)"
cat /srv/data/config
ls /srv
