"""The REST API for every app, version 1, mounted at /api/v1/ (see api/urls.py)."""
