"""WSGI entry point: `gunicorn config.wsgi` serves production."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# Python's full garbage collection walks every object alive, and once a worker has loaded every
# view (and with them numpy and scipy) that is hundreds of thousands of objects that live as long
# as the process: each full collection took 30-250 ms, about once every 80 requests, and was the
# whole of /trends/'s p99 (bench/trends.sh). Loaded now and frozen, they are never walked again.
get_resolver().url_patterns  # noqa: B018 (imports every view, as the first request would)
gc.freeze()
