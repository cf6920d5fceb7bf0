FROM alpine AS unused
RUN echo never used
FROM alpine AS used
RUN echo used > /x
FROM alpine
COPY --from=used /x /x
