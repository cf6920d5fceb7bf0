FROM node:20
RUN npm install -g typescript
RUN npm install express@4.19.2
RUN npm ci
