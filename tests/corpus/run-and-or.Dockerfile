FROM alpine
RUN test -f /x || echo missing && echo done; echo end
