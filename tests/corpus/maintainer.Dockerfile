FROM centos:7
MAINTAINER Jane Doe <jane@example.com>
RUN yum install -y httpd && yum clean all
