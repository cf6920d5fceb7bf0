FROM fedora:40
RUN dnf install -y httpd && dnf clean all
RUN yum -y install wget
RUN microdnf install -y tar && microdnf clean all
RUN zypper install -y curl && zypper clean
