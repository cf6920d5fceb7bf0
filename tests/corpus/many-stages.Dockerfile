FROM alpine:3.19 AS s0
RUN echo 0 > /s0
FROM alpine:3.19 AS s1
RUN echo 1 > /s1
FROM alpine:3.19 AS s2
RUN echo 2 > /s2
FROM alpine:3.19 AS s3
RUN echo 3 > /s3
FROM alpine:3.19 AS s4
RUN echo 4 > /s4
FROM alpine:3.19 AS s5
RUN echo 5 > /s5
FROM alpine:3.19 AS s6
RUN echo 6 > /s6
FROM alpine:3.19 AS s7
RUN echo 7 > /s7
FROM scratch
COPY --from=s0 /s0 /s0
COPY --from=s1 /s1 /s1
COPY --from=s2 /s2 /s2
COPY --from=s3 /s3 /s3
COPY --from=s4 /s4 /s4
COPY --from=s5 /s5 /s5
COPY --from=s6 /s6 /s6
COPY --from=s7 /s7 /s7
