FROM nginx:1.25
STOPSIGNAL SIGQUIT
USER nginx:nginx
WORKDIR /usr/share/nginx/html
WORKDIR relative/path
