FROM node:20
WORKDIR /app
RUN npm ci --omit=dev
COPY . .
CMD ["./start"]
