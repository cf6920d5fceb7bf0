FROM node:20
WORKDIR /app
RUN npm ci --omit=dev
COPY . .
USER 1000
CMD ["./start"]
