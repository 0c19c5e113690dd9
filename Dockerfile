# Forecourt: multi-stage image. Build: docker build -t forecourt .
# The build stage compiles wheels and collects static files; the runtime stage gets only the
# virtualenv, the static files and the PostgreSQL client (pg_dump for backups) — no compilers.
ARG PYTHON_IMAGE=python:3.13-slim-trixie

FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
RUN python -m venv /opt/forecourt
COPY pyproject.toml constraints.txt README.md ./
COPY forecourt ./forecourt
RUN /opt/forecourt/bin/pip install -c constraints.txt . \
    && /opt/forecourt/bin/pip check
# Static files are collected with the production storage (hashed names, compressed). The
# values below exist only to satisfy production validation during the build; nothing
# connects anywhere and none of them reaches the runtime image.
RUN FORECOURT_ENV=production \
    DATA_DIR=/opt/forecourt-data \
    SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-build-only \
    DATABASE_URL=postgres://build@localhost/build \
    ALLOWED_HOSTS=build.invalid \
    FIELD_ENCRYPTION_KEYS=build:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= \
    FIELD_HASH_KEY=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= \
    BACKUP_ENCRYPTION_KEY=build-only-not-a-secret-build-only \
    EMAIL_URL=smtp://build.invalid:587 \
    /opt/forecourt/bin/forecourt collectstatic --noinput --verbosity 0

FROM ${PYTHON_IMAGE} AS runtime
ENV PATH=/opt/forecourt/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    FORECOURT_ENV=production \
    DATA_DIR=/var/lib/forecourt \
    BACKUP_DIR=/var/lib/forecourt/backups \
    LOG_FORMAT=json \
    PROMETHEUS_MULTIPROC_DIR=/tmp/forecourt-metrics \
    PORT=8000
# postgresql-client: pg_dump/pg_restore for `forecourt backup` and `forecourt restore`.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 forecourt \
    && useradd --system --uid 10001 --gid forecourt --home-dir /var/lib/forecourt \
       --shell /usr/sbin/nologin forecourt \
    && install -d -o forecourt -g forecourt /var/lib/forecourt/media /var/lib/forecourt/backups
COPY --from=build /opt/forecourt /opt/forecourt
COPY --from=build --chown=forecourt:forecourt /opt/forecourt-data/static /var/lib/forecourt/static
USER 10001:10001
WORKDIR /var/lib/forecourt
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-m", "forecourt.core.healthcheck"]
# granian, WEB_CONCURRENCY workers on PORT (forecourt/core/management/commands/serve.py).
# The worker runs the same image: command `forecourt worker`.
CMD ["forecourt", "serve"]
