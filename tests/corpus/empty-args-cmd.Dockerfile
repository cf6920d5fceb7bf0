FROM alpine
CMD
