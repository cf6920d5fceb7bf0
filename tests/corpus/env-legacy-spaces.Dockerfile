FROM alpine
ENV MSG hello   world   with   spaces
