"""Erasing an account for good, for moderation.

The deletion itself (every row and session of the person) is portability's
(portability/deletion.py), and accounts imports no app above it: portability registers its
deletion here when it starts (PortabilityConfig.ready), and moderation calls erase_account.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

from accounts.models import User

_eraser: Callable[[User], None] | None = None


def register(eraser: Callable[[User], None]) -> None:
    global _eraser
    _eraser = eraser


def erase_account(user: User) -> None:
    if _eraser is None:
        raise ImproperlyConfigured("No installed app registered how to erase an account.")
    _eraser(user)
