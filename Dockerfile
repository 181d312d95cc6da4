# The clinic app for production: gunicorn behind your TLS-terminating proxy.
# Debian trixie: its postgresql-client is 17, as the db service, for `manage.py backup`.
FROM python:3.12-slim-trixie

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 10001 clinic

COPY pyproject.toml README.md ./
RUN pip install .
COPY . .

# Hashed, compressed static files are built into the image; whitenoise serves them.
RUN DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput

# The backups volume mounts here; a new volume takes this folder's owner and mode.
RUN mkdir -m 700 /app/backups && chown clinic /app/backups

USER clinic
EXPOSE 8000
# No access log: URLs of patient link pages carry tokens.
CMD ["sh", "-c", "python manage.py migrate --noinput && exec gunicorn clinic.wsgi --bind 0.0.0.0:8000 --workers ${GUNICORN_WORKERS:-3} --timeout 30"]
