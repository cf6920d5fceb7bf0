FROM ubuntu:22.04
RUN sudo apt-get update
RUN cd /tmp && make
RUN ln -sf /bin/bash /bin/sh
RUN echo 'root:root' | chpasswd
RUN useradd -u 123456789 bigid
