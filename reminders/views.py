"""The links in reminder emails. Stopping and "not today" work without signing in: a signed
token in the address says who and what for (reminders/tokens.py). Each link opens a page with a
button, because mail scanners open links on their own; mail programs that support one-click
unsubscribe (RFC 8058) POST to the stop link directly."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from reminders.models import Delivery
from reminders.tokens import Purpose, read_token

# What each stop link turns off: the field that, emptied, ends those emails.
STOPS = {Purpose.STOP_CHECK_IN: "reminder_time", Purpose.STOP_WEEKLY: "weekly_day"}
EXPIRED = 400


@csrf_exempt  # the token, not a cookie, says who this is; the one-click POST carries no cookie
@never_cache
@require_http_methods(["GET", "POST"])
def stop(request: HttpRequest, purpose: str, token: str) -> HttpResponse:
    if purpose not in STOPS:
        raise Http404
    purpose = Purpose(purpose)
    found = read_token(token, purpose)
    if found is None:
        return render(request, "reminders/link_expired.html", status=EXPIRED)
    person, _ = found
    context = {"purpose": purpose.value, "weekly": purpose == Purpose.STOP_WEEKLY}
    if request.method == "POST":
        setattr(person, STOPS[purpose], None)
        person.save(update_fields=[STOPS[purpose]])
        return render(request, "reminders/stopped.html", context)
    return render(request, "reminders/stop.html", context)


@csrf_exempt  # as for stop: the token says who this is
@never_cache
@require_http_methods(["GET", "POST"])
def not_today(request: HttpRequest, token: str) -> HttpResponse:
    found = read_token(token, Purpose.NOT_TODAY)
    if found is None:
        return render(request, "reminders/link_expired.html", status=EXPIRED)
    person, day = found
    if request.method == "POST":
        Delivery.objects.filter(person=person, kind=Delivery.Kind.CHECK_IN, local_date=day).update(
            skipped_at=timezone.now()
        )
        # An answer all the same: it does not count towards pausing the reminders.
        person.reminders_unanswered = 0
        person.save(update_fields=["reminders_unanswered"])
        return render(request, "reminders/skipped.html")
    return render(request, "reminders/not_today.html")


@login_required
@require_http_methods(["GET", "POST"])
def resume(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        request.user.resume_reminders()
        if request.user.reminder_due_at is None:
            messages.success(request, "Reminders are on again once you pick a time below.")
        else:
            messages.success(request, "Your reminders are on again.")
        return redirect("accounts:profile")
    return render(request, "reminders/resume.html")
