FROM --platform=$TARGETPLATFORM alpine
FROM --platform=${BUILDPLATFORM} alpine AS b
