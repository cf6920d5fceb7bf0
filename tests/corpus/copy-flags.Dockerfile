FROM alpine
COPY --chown=app:app --chmod=755 entry.sh /usr/local/bin/
COPY --link --from=builder /out/ /app/
COPY --parents ./src/**/*.py /app/
COPY --exclude=*.md --exclude=docs/ . /app/
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/archive.tar.gz /tmp/
ADD --keep-git-dir=true https://github.com/moby/buildkit.git#v0.10.1 /buildkit
ADD --chown=1000 --chmod=0644 --link app.tar.gz /opt/
