FROM alpine
RUN echo hello \
    world
CMD ["sh"]
