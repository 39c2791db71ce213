"""The Celery app that runs Hearth's background jobs (each app's tasks.py), configured from the
CELERY_* names in config/settings.py. Start a worker with `celery -A config worker`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
