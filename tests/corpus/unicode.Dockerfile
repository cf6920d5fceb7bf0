FROM alpine
LABEL description="Ünïcödé — 日本語 ✓"
RUN echo "héllo wörld"
