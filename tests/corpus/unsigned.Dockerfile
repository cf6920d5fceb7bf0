FROM alpine
RUN apk add --allow-untrusted /tmp/x.apk
RUN apt-get install -y --allow-unauthenticated foo
RUN yum install -y --nogpgcheck foo
RUN rpm -i --nosignature foo.rpm
