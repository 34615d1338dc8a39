FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    HEALTHGATE_HOST=0.0.0.0 \
    HEALTHGATE_PORT=8000

WORKDIR /app
COPY pyproject.toml README.md ./
COPY gateway ./gateway
COPY resolvers ./resolvers
COPY storage ./storage
RUN pip install . && useradd --system --uid 10001 healthgate
USER healthgate

EXPOSE 8000
# The health route answers callers on HEALTHGATE_HEALTH_ALLOW_LIST (loopback by default),
# which is where this check runs from.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
    CMD python -c "import sys, urllib.request as u; sys.exit(0 if u.urlopen('http://127.0.0.1:8000/api/v1/health/check', timeout=2).status == 200 else 1)"

CMD ["healthgate", "serve"]
