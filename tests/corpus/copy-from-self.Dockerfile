FROM alpine AS build
COPY --from=build /a /b
