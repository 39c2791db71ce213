"""Reminders as push notifications (Web Push with VAPID, RFC 8030/8291/8292): the phones and
browsers a person subscribed ("Remind me on this phone" on the profile, static/js/push.js), the
endpoints that add and remove them, and sending one message to all of a person's devices.

Each message is encrypted to the device's own keys, so the push service (Google, Mozilla,
Apple, Microsoft) carries only ciphertext; even so, what we send is the same neutral words as
the reminder email, because a lock screen is not private. Push is offered only when both VAPID
keys are configured (README, "Settings")."""

import base64
import binascii
import json
import logging
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

import requests
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from accounts.models import PushSubscription, User
from accounts.security import coarse_device

logger = logging.getLogger(__name__)

# A reminder that waits longer than this at the push service (the phone is off) is dropped:
# a check-in reminder arriving the next morning would only confuse.
TIME_TO_LIVE_SECONDS = 60 * 60
# A newer reminder replaces one still waiting at the push service (RFC 8030, section 5.4).
TOPIC = "hearth-reminder"
TIMEOUT_SECONDS = 10
# The push service says the subscription is gone (the person unsubscribed or the browser dropped
# it): keeping it would only fail again.
GONE = {404, 410}
# More than anyone has phones and browsers: a limit on what one account can make Hearth send.
MAX_DEVICES = 20


def is_offered() -> bool:
    return bool(settings.WEBPUSH_VAPID_PUBLIC_KEY and settings.WEBPUSH_VAPID_PRIVATE_KEY)


def _base64url_bytes(value: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        return b""


def _is_push_service(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(
        host == allowed or host.endswith("." + allowed)
        for allowed in settings.WEBPUSH_SERVICE_HOSTS
    )


class SubscriptionForm(forms.Form):
    """What the browser's PushSubscription.toJSON() gives, checked before Hearth posts to it."""

    endpoint = forms.URLField(max_length=1000, assume_scheme="https")
    p256dh = forms.CharField(max_length=100)
    auth = forms.CharField(max_length=50)

    def __init__(self, data: dict, person: User) -> None:
        super().__init__(data)
        self.person = person

    def clean_endpoint(self) -> str:
        endpoint = self.cleaned_data["endpoint"]
        if not endpoint.startswith("https://") or not _is_push_service(endpoint):
            raise forms.ValidationError("This is not the address of a push service we know.")
        return endpoint

    def clean_p256dh(self) -> str:
        key = self.cleaned_data["p256dh"]
        # An uncompressed P-256 point: 0x04, then x and y.
        decoded = _base64url_bytes(key)
        if len(decoded) != 65 or decoded[0] != 4:
            raise forms.ValidationError("This is not a browser's push key.")
        return key

    def clean_auth(self) -> str:
        secret = self.cleaned_data["auth"]
        if len(_base64url_bytes(secret)) != 16:
            raise forms.ValidationError("This is not a browser's push secret.")
        return secret

    def clean(self) -> dict:
        cleaned = super().clean()
        phones = self.person.push_subscriptions
        known = phones.filter(endpoint=cleaned.get("endpoint")).exists()
        if not known and phones.count() >= MAX_DEVICES:
            raise forms.ValidationError(
                f"Reminders already come to {MAX_DEVICES} phones or browsers: remove one on the "
                "page that lists where you are signed in first."
            )
        return cleaned


def _json_body(request: HttpRequest) -> dict:
    try:
        body = json.loads(request.body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return body if isinstance(body, dict) else {}


@login_required
@require_POST
def subscribe(request: HttpRequest) -> JsonResponse:
    """Keeps this device's subscription (posted as JSON by static/js/push.js) and turns push
    reminders on. A device someone else had subscribed before now reminds this person only."""
    if not is_offered():
        return JsonResponse({"errors": {"detail": ["Push reminders are not set up."]}}, status=404)
    body = _json_body(request)
    keys = body.get("keys") if isinstance(body.get("keys"), dict) else {}
    form = SubscriptionForm(
        {"endpoint": body.get("endpoint"), "p256dh": keys.get("p256dh"), "auth": keys.get("auth")},
        request.user,
    )
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    subscription, created = PushSubscription.objects.update_or_create(
        endpoint=form.cleaned_data["endpoint"],
        defaults={
            "user": request.user,
            "p256dh": form.cleaned_data["p256dh"],
            "auth": form.cleaned_data["auth"],
            "device": coarse_device(request.META.get("HTTP_USER_AGENT", "")),
            "session_key": request.session.session_key or "",
        },
    )
    if not request.user.reminder_push:
        request.user.reminder_push = True
        request.user.save(update_fields=["reminder_push"])
    return JsonResponse({"id": subscription.pk}, status=201 if created else 200)


@login_required
@require_POST
def unsubscribe(request: HttpRequest) -> HttpResponse:
    """Forgets this device's subscription ("Stop reminders on this phone")."""
    endpoint = _json_body(request).get("endpoint")
    subscription = get_object_or_404(
        request.user.push_subscriptions.all(),
        endpoint=endpoint if isinstance(endpoint, str) else "",
    )
    forget(request.user, pk=subscription.pk)
    return HttpResponse(status=204)


@login_required
@require_POST
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Removes one of the person's devices from the sessions page."""
    subscription = get_object_or_404(request.user.push_subscriptions.all(), pk=pk)
    forget(request.user, pk=subscription.pk)
    messages.success(request, f"Reminders will no longer come to {subscription.device}.")
    return redirect("usersessions_list")


def forget(person: User, **which) -> None:
    """Removes the person's subscriptions matching `which`; with no phone left, push reminders
    turn off, so a reminder never waits for a channel that cannot carry it."""
    _forget(person, person.push_subscriptions.filter(**which))


def forget_all_but(person: User, session_key: str) -> None:
    """Removes the subscriptions made in any session but this one: signing out everywhere else
    (a lost or shared phone) stops the reminders there too."""
    _forget(person, person.push_subscriptions.exclude(session_key=session_key))


def _forget(person: User, subscriptions) -> None:
    subscriptions.delete()
    if person.reminder_push and not person.push_subscriptions.exists():
        person.reminder_push = False
        person.save(update_fields=["reminder_push"])


def forgets_device_on_sign_out(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wraps the sign-out view: the subscription made in the session that ends goes with it, so
    a phone handed on stops showing the last person's reminders."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user, session_key = request.user, request.session.session_key
        response = view(request, *args, **kwargs)
        if user.is_authenticated and session_key and not request.user.is_authenticated:
            forget(user, session_key=session_key)
        return response

    return wrapped


def notify(person: User, title: str, body: str, path: str) -> int:
    """Sends one notification to each of the person's subscribed devices; returns how many the
    push services accepted. Gone subscriptions are removed; other failures are logged (never the
    endpoint, whose path is the device's secret) and left for the next reminder."""
    subscriptions = list(person.push_subscriptions.all())
    if not subscriptions or not is_offered():
        return 0
    payload = json.dumps({"title": title, "body": body, "url": path})
    vapid = Vapid.from_string(settings.WEBPUSH_VAPID_PRIVATE_KEY)
    delivered, gone = [], []
    with requests.Session() as session:
        session.max_redirects = 0  # a push service answers; it never sends us elsewhere
        for subscription in subscriptions:
            outcome = _push(subscription, payload, vapid, session)
            if outcome == "sent":
                delivered.append(subscription.pk)
            elif outcome == "gone":
                gone.append(subscription.pk)
    if delivered:
        PushSubscription.objects.filter(pk__in=delivered).update(last_used_at=timezone.now())
    if gone:
        forget(person, pk__in=gone)
    return len(delivered)


def _push(
    subscription: PushSubscription, payload: str, vapid: Vapid, session: requests.Session
) -> str:
    try:
        webpush(
            subscription.as_subscription_info(),
            data=payload,
            vapid_private_key=vapid,
            # A fresh dict each time: pywebpush writes the audience (the service) into it.
            vapid_claims={"sub": settings.WEBPUSH_CONTACT},
            ttl=TIME_TO_LIVE_SECONDS,
            headers={"Topic": TOPIC, "Urgency": "normal"},
            timeout=TIMEOUT_SECONDS,
            requests_session=session,
        )
    except WebPushException as error:
        if error.status_code in GONE:
            logger.info("Push subscription %s is gone; removed", subscription.pk)
            return "gone"
        _log_failure(subscription, f"status {error.status_code}")
        return "failed"
    except (requests.RequestException, ValueError) as error:
        _log_failure(subscription, type(error).__name__)
        return "failed"
    return "sent"


def _log_failure(subscription: PushSubscription, what: str) -> None:
    host = urlsplit(subscription.endpoint).hostname
    logger.warning("Push to subscription %s at %s failed: %s", subscription.pk, host, what)
