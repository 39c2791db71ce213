"""Sign-in lockouts: who is locked out after failed sign-ins, and letting them back in.

allauth counts failed sign-ins per email address (`ACCOUNT_RATE_LIMITS["login_failed"]`, the
`/key` rates) and refuses further attempts at that address once a window is full, keeping the
attempt times in the cache. These functions read and delete those same counters, for every
address a person can sign in with, so the admin can show who is locked out and a moderator can
let them in before the window passes.
"""

import time
from collections.abc import Iterable, Iterator

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.http import HttpRequest

# allauth's own key builder, so these keys always match the ones its rate limit writes.
from accounts.allauth_internals import Rate, get_cache_key, get_rates
from accounts.models import User
from config.client_address import client_address

RATE_LIMITS_APP = "allauth.account"
FAILED_SIGN_IN = "login_failed"
# Counters read per cache round trip when every account is checked.
BATCH_SIZE = 1000


class AccountAdapter(DefaultAccountAdapter):
    """Hearth's allauth adapter (settings.ACCOUNT_ADAPTER)."""

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials) -> str:
        # allauth puts the request's host name in front of the address; a lockout belongs to the
        # account, whichever of the site's host names the attempts came through.
        return credentials.get("email", credentials.get("username", "")).lower()

    def get_client_ip(self, request: HttpRequest) -> str:
        # The address every limit counts, the API's throttles included (TRUSTED_PROXY_COUNT).
        return client_address(request)


def _account_rates() -> list[Rate]:
    return [
        rate for rate in get_rates(app=RATE_LIMITS_APP, action=FAILED_SIGN_IN) if rate.per == "key"
    ]


def _counter_keys(email: str, rates: list[Rate]) -> list[tuple[str, Rate]]:
    """The cache keys allauth keeps this address's failed sign-ins under, with their rates."""
    return [
        (
            get_cache_key(None, app=RATE_LIMITS_APP, action=FAILED_SIGN_IN, rate=rate, key=email),
            rate,
        )
        for rate in rates
    ]


def _sign_in_addresses(users: Iterable[User] | None = None) -> Iterator[tuple[int, str]]:
    """(person id, address) for every address the people can sign in with, in one query."""
    accounts = User.objects.all()
    addresses = EmailAddress.objects.all()
    if users is not None:
        ids = [user.pk for user in users]
        accounts = accounts.filter(pk__in=ids)
        addresses = addresses.filter(user_id__in=ids)
    pairs = accounts.values_list("pk", "email").union(addresses.values_list("user_id", "email"))
    for pk, email in pairs.iterator(chunk_size=BATCH_SIZE):
        yield pk, email.lower()


def _full(history: list[float], rate: Rate, now: float) -> bool:
    return sum(1 for attempt in history if attempt > now - rate.duration) >= rate.amount


def _locked_among(addresses: Iterable[tuple[int, str]]) -> set[int]:
    locked: set[int] = set()
    batch: list[tuple[int, str, Rate]] = []
    rates = _account_rates()

    def check(batch: list[tuple[int, str, Rate]]) -> None:
        histories = cache.get_many([key for _, key, _ in batch])
        now = time.time()
        locked.update(pk for pk, key, rate in batch if _full(histories.get(key, []), rate, now))

    for pk, email in addresses:
        batch += [(pk, key, rate) for key, rate in _counter_keys(email, rates)]
        if len(batch) >= BATCH_SIZE:
            check(batch)
            batch = []
    if batch:
        check(batch)
    return locked


def locked_out_ids(users: Iterable[User]) -> set[int]:
    """Ids of those among users who are locked out: one query and one cache read for a page."""
    return _locked_among(_sign_in_addresses(list(users)))


def all_locked_out_ids() -> set[int]:
    """Ids of every locked-out account. The cache cannot be searched, so this reads every
    account's counters, a thousand to a cache round trip."""
    return _locked_among(_sign_in_addresses())


def is_locked_out(user: User) -> bool:
    return bool(locked_out_ids([user]))


def clear_lockout(user: User) -> None:
    """Forget the failed sign-ins at every address of this person, so they can sign in now."""
    rates = _account_rates()
    addresses = [email for _, email in _sign_in_addresses([user])]
    cache.delete_many([key for email in addresses for key, _ in _counter_keys(email, rates)])
