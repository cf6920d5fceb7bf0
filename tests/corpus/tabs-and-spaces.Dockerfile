FROM alpine
	RUN echo tab-indented
    RUN echo space-indented
RUN    echo   many   spaces
