FROM alpine
ENV A=a
RUN echo $A ${A} ${A:-default} ${A:+alt} ${B-unset} ${B+set} \$NOT_A_VAR '$SINGLE'
WORKDIR ${HOME:-/root}/work
