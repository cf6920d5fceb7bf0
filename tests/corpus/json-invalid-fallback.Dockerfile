FROM alpine
CMD [ "echo", 'single quotes are not json' ]
ENTRYPOINT ["broken"
RUN [ "ok" ]
