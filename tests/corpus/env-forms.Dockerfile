FROM alpine
ENV PATH=/opt/bin:$PATH
ENV GREETING "hello world"
ENV A=1 B=${A:-2} C=${B:+set}
ENV Q='single quoted' D="double \"quoted\""
ENV ESC=a\ b
LABEL org.opencontainers.image.title="demo" \
      org.opencontainers.image.version="1.0.0"
LABEL description "legacy label form"
