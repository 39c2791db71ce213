from allauth.account.decorators import reauthentication_required
from allauth.usersessions.forms import ManageUserSessionsForm
from allauth.usersessions.models import UserSession
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.allauth_internals import end_sessions
from accounts.forms import ProfileForm, ReminderForm
from accounts.middleware import shows_health_data
from accounts.models import PRIVACY_VERSION, ApiToken, SecurityEvent
from accounts.push import forget_all_but
from accounts.security import coarse_device, record
from accounts.tokens import TokenForm, create_token, revoke_all_tokens

EVENTS_PER_PAGE = 50
# A new token's name and secret, kept from the POST that made it until the page shows it once.
NEW_TOKEN_SESSION_KEY = "hearth_new_api_token"


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy.html", {"privacy_version": PRIVACY_VERSION})


@shows_health_data
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    reminder_form = ReminderForm(request.POST or None, instance=request.user)
    # Both are checked before either saves, so one's mistake never half-saves the other.
    if request.method == "POST" and all([form.is_valid(), reminder_form.is_valid()]):
        form.save()
        reminder_form.save()
        messages.success(request, "Your profile is saved.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form, "reminder_form": reminder_form})


@shows_health_data
@never_cache  # the page may carry a new token's secret
@login_required
@reauthentication_required(allow_get=True)  # making a token asks for the password, like export
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, secret = create_token(request.user, form.cleaned_data["name"], form.expires_in())
        record(request, request.user, SecurityEvent.Kind.TOKEN_CREATED)
        # The session (on the server) carries the secret to the page that shows it, so
        # refreshing that page makes no second token; never a cookie or the address.
        request.session[NEW_TOKEN_SESSION_KEY] = {"name": token.name, "secret": secret}
        return redirect("accounts:tokens")
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "new_token": request.session.pop(NEW_TOKEN_SESSION_KEY, None),
            "tokens": ApiToken.objects.filter(user=request.user),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def revoke_token(request: HttpRequest, digest: str) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), digest=digest)
    token.delete()
    record(request, request.user, SecurityEvent.Kind.TOKEN_REVOKED)
    messages.success(request, f"Revoked “{token.name}”. Nothing can use it any more.")
    return redirect("accounts:tokens")


@login_required
def security(request: HttpRequest) -> HttpResponse:
    events = SecurityEvent.objects.filter(user=request.user).order_by("-created_at", "-pk")
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "accounts/security.html", {"page": page})


@login_required
@require_POST
def end_other_sessions(request: HttpRequest) -> HttpResponse:
    """Signs the person out everywhere but here (allauth's sessions page posts here), revokes
    their API tokens, and puts it on their security activity page: allauth sends no signal
    for it."""
    ManageUserSessionsForm(request=request).save(request)
    forget_all_but(request.user, request.session.session_key or "")
    revoked = revoke_all_tokens(request.user)
    record(request, request.user, SecurityEvent.Kind.SESSIONS_ENDED)
    done = "You are now signed out everywhere except on this device."
    if revoked:
        done += " Your API tokens are revoked too: anything that used one needs a new one."
    messages.success(request, done)
    return redirect("usersessions_list")


@login_required
@require_POST
def end_session(request: HttpRequest, pk: int) -> HttpResponse:
    """Signs out one other browser or device from the sessions page."""
    session = get_object_or_404(UserSession.objects.filter(user=request.user), pk=pk)
    if session.is_current():
        return redirect("usersessions_list")  # this device signs out with "Sign out"
    end_sessions(request, [session])
    record(request, request.user, SecurityEvent.Kind.SESSIONS_ENDED)
    messages.success(request, f"Signed out {coarse_device(session.user_agent)}.")
    return redirect("usersessions_list")
