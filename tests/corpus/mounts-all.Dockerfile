# syntax=docker/dockerfile:1
FROM python:3.12
RUN --mount=type=cache,target=/root/.cache/pip,sharing=locked,id=pip \
    --mount=type=bind,source=requirements.txt,target=/tmp/requirements.txt \
    pip install -r /tmp/requirements.txt
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc,required=true npm ci
RUN --mount=type=secret,id=token,env=TOKEN ./fetch.sh
RUN --mount=type=ssh,id=default git clone git@example.com:org/repo.git
RUN --mount=type=tmpfs,target=/tmp,size=100m make
RUN --network=none make test
RUN --security=insecure ./needs-privileges.sh
RUN --mount=type=cache,from=build,source=/cache,target=/cache ls /cache
