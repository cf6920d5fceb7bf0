FROM alpine
RUN wget -O - https://example.com | tar xz
