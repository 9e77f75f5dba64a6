# The portal's image: gunicorn for the web, the same image for the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint's libraries (Pango, HarfBuzz with subsetting), fonts with the Norwegian letters,
# gettext for the translations.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libffi8 \
        fonts-inter fonts-dejavu-core shared-mime-info gettext curl \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 portal
WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY --chown=portal:portal . .
RUN SECRET_KEY=build-only python manage.py compilemessages --ignore .venv -v0 \
    && SECRET_KEY=build-only python manage.py collectstatic --noinput -v0 \
    && mkdir -p /app/media && chown portal:portal /app/media

USER portal
EXPOSE 8000
CMD ["gunicorn", "alisvest.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-"]
