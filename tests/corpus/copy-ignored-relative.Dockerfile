FROM alpine
COPY app.py app/
COPY --from=missing /x /y
