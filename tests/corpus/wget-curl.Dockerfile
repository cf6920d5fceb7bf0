FROM debian
RUN wget https://example.com/a && curl -o b https://example.com/b
