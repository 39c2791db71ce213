"""The one shape of every error Hearth answers in JSON (the API's refusals, and the site's own
413, 405 and 503 under /api/): `{"errors": {"<field>": ["message", ...]}}`.

Input errors are keyed by field name (or `non_field_errors`); errors about the request as a whole
(authentication, permission, not found, throttling, unsupported method or media type) are keyed
`detail`.
"""


def _messages(value) -> list[str]:
    """DRF's error detail (a string, a list, or a dict for list items) as a flat list of text."""
    if isinstance(value, dict):
        return [message for item in value.values() for message in _messages(item)]
    if isinstance(value, list):
        return [message for item in value for message in _messages(item)]
    return [str(value)]


def error_body(detail) -> dict:
    if isinstance(detail, dict):
        return {"errors": {str(key): _messages(value) for key, value in detail.items()}}
    return {"errors": {"non_field_errors": _messages(detail)}}
