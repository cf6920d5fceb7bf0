FROM alpine
COPY a.txt b.txt c.txt /dst/
COPY *.py /app/
ADD https://example.com/file.txt /tmp/file.txt
