# syntax=docker/dockerfile:1
# A Python service written by hand, with uneven formatting.
ARG PYTHON_VERSION=3.11

from debian:bookworm-slim as base
env PYTHONDONTWRITEBYTECODE=1 \
      PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-venv ca-certificates && rm -rf /var/lib/apt/lists/*

FROM base AS deps
WORKDIR /app
COPY requirements.txt .
# keep pip's cache between builds
RUN --mount=type=cache,target=/root/.cache/pip python3 -m venv /opt/venv && /opt/venv/bin/pip install -r requirements.txt

FROM base
WORKDIR /app
COPY --from=deps /opt/venv /opt/venv
COPY . .
USER 10001
EXPOSE 8000/tcp
HEALTHCHECK --interval=30s CMD python3 -c "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/')"
CMD ["/opt/venv/bin/python", "-m", "service"]
