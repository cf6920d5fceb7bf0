FROM alpine
RUN echo "#not a comment" # trailing text is part of the command
ENV X=a#b
