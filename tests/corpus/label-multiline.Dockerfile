FROM alpine
LABEL a=1 \
      b="two \
three" \
      c=3
