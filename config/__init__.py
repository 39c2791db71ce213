# Loaded with Django, so that tasks queued from a request use this app and its settings.
from config.celery import app as celery_app

__all__ = ["celery_app"]
