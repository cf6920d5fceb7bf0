#!/bin/sh
# Greets everyone named on the command line.
for name in "$@"; do
    echo "${GREETING:-Hi}, $name!"
done
