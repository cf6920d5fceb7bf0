FROM rust:1.78 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry cargo build --release
FROM gcr.io/distroless/cc-debian12
COPY --from=build /src/target/release/app /app
CMD ["/app"]
