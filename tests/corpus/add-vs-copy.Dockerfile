FROM alpine
ADD app.py /app/
ADD archive.tar.gz /opt/
ADD https://example.com/x /x
