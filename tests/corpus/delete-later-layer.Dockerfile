FROM debian:bookworm
RUN wget https://example.com/big.tar.gz -O /tmp/big.tar.gz
RUN tar -xzf /tmp/big.tar.gz -C /opt
RUN rm /tmp/big.tar.gz
