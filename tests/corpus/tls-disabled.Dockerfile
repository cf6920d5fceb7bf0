FROM node:20
ENV NODE_TLS_REJECT_UNAUTHORIZED=0
RUN npm config set strict-ssl false
RUN curl -k https://example.com/file -o /tmp/f
RUN pip install --trusted-host pypi.org requests
