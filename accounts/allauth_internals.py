"""The one module that imports allauth's `internal` packages.

allauth names these packages internal: they may change in any release, without a deprecation.
Hearth uses them only where allauth offers no public way to do the same: reading and clearing
its sign-in rate limit's counters (accounts.lockout), starting its re-authentication flow from
a middleware (accounts.middleware), and ending sessions a person chose (accounts.views).
Gathering them here means an allauth upgrade is checked against this file and the tests of
those three modules.
"""

from allauth.account.internal.flows.reauthentication import (
    get_reauthentication_flows,
    suspend_request,
)
from allauth.core.internal.ratelimit import Rate, get_cache_key, get_rates
from allauth.usersessions.internal.flows.sessions import end_sessions

__all__ = [
    "Rate",
    "end_sessions",
    "get_cache_key",
    "get_rates",
    "get_reauthentication_flows",
    "suspend_request",
]
