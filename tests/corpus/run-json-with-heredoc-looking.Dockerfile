FROM alpine
RUN ["sh", "-c", "cat <<EOF"]
RUN echo "<<EOF" > /x
