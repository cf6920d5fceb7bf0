FROM debian:bookworm-slim AS build
WORKDIR /usr/src/app
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci && npm cache clean --force
COPY . .
RUN npm run build

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends nodejs && rm -rf /var/lib/apt/lists/*
WORKDIR /usr/src/app
COPY --from=build --chown=10001:10001 /usr/src/app/dist ./dist
ENV NODE_ENV production
USER 10001:10001
CMD node dist/index.js
