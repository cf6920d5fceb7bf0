FROM golang:1.22
RUN go install github.com/example/tool@latest
RUN gem install bundler
