"""The REST API, version 1, mounted at /api/v1/ (see tracker/api/urls.py)."""
