"""Reading JSON that anyone may send: the API's bodies and imported files.

Python's json module recurses once per level of nesting, so `[[[[...]]]]` fifty thousand deep
raises RecursionError, which no caller expects. `loads` turns that, and any nesting deeper than
Hearth's own data ever needs, into a ValueError with a message a person can act on, as
json.loads does for any other bad JSON.
"""

import json

# Hearth's deepest document is an export: {"days": [{"symptoms": ["..."]}]}, three levels.
MAX_DEPTH = 32
TOO_DEEP = (
    f"The JSON is nested too deeply: Hearth reads lists and objects up to {MAX_DEPTH} levels "
    "inside one another."
)


class NestedTooDeep(ValueError):
    def __init__(self) -> None:
        super().__init__(TOO_DEEP)


def _deeper_than(value: object, limit: int) -> bool:
    """Whether lists and objects nest more than `limit` levels, walked a level at a time (a
    recursive walk would fail on the very input it looks for)."""
    level = [value] if isinstance(value, list | dict) else []
    for _ in range(limit):
        level = [
            child
            for container in level
            for child in (container.values() if isinstance(container, dict) else container)
            if isinstance(child, list | dict)
        ]
        if not level:
            return False
    return True


def loads(text: str | bytes, **options) -> object:
    """json.loads (same options) that refuses nesting deeper than MAX_DEPTH with
    NestedTooDeep, a ValueError, never a RecursionError."""
    try:
        value = json.loads(text, **options)
    except RecursionError:
        raise NestedTooDeep() from None
    if _deeper_than(value, MAX_DEPTH):
        raise NestedTooDeep()
    return value
