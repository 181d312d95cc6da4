# The clinic app for production: gunicorn behind your TLS-terminating proxy.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
RUN useradd --create-home --uid 10001 clinic

COPY pyproject.toml README.md ./
RUN pip install .
COPY . .

# Hashed, compressed static files are built into the image; whitenoise serves them.
RUN DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput

USER clinic
EXPOSE 8000
# No access log: URLs of patient link pages carry tokens.
CMD ["sh", "-c", "python manage.py migrate --noinput && exec gunicorn clinic.wsgi --bind 0.0.0.0:8000 --workers ${GUNICORN_WORKERS:-3} --timeout 30"]
