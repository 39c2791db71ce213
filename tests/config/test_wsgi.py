"""The WSGI entry point loads every view before the first request and freezes what it loaded,
so Python's full garbage collections never walk Django, numpy and scipy again (they were
30-250 ms each, and the whole of /trends/'s p99: docs/scaling.md)."""

import os
import subprocess
import sys

from django.conf import settings

LOADED_AND_FROZEN = """
import gc, sys
import config.wsgi
print(gc.get_freeze_count(), "numpy" in sys.modules, "tracker.views" in sys.modules)
"""


def test_the_wsgi_application_freezes_every_view_it_loaded():
    # In a process of its own: freezing the test runner's objects would change its collections.
    finished = subprocess.run(
        [sys.executable, "-c", LOADED_AND_FROZEN],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
        check=True,
    )
    frozen, numpy_loaded, views_loaded = finished.stdout.split()

    assert int(frozen) > 50_000
    assert (numpy_loaded, views_loaded) == ("True", "True")
