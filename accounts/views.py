from allauth.usersessions.forms import ManageUserSessionsForm
from allauth.usersessions.internal.flows.sessions import end_sessions
from allauth.usersessions.models import UserSession
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.forms import ProfileForm
from accounts.models import ApiToken, SecurityEvent
from accounts.security import coarse_device, record
from accounts.tokens import TokenForm, create_token

EVENTS_PER_PAGE = 50


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "Your profile is saved.")
            return redirect("accounts:profile")
        messages.error(request, "Nothing was saved yet. Please check the highlighted answers.")
    return render(request, "accounts/profile.html", {"form": form})


@never_cache  # the page may carry a new token's secret
@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    created = secret = None
    if request.method == "POST":
        if form.is_valid():
            # No redirect: the secret is shown on this response only and stored nowhere.
            created, secret = create_token(
                request.user, form.cleaned_data["name"], form.expires_in()
            )
            record(request, request.user, SecurityEvent.Kind.TOKEN_CREATED)
            form = TokenForm()
        else:
            messages.error(request, "No token was made yet. Please check the highlighted answers.")
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "created": created,
            "secret": secret,
            "tokens": ApiToken.objects.filter(user=request.user),
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
    """Signs the person out everywhere but here (allauth's sessions page posts here), and
    puts it on their security activity page: allauth sends no signal for it."""
    ManageUserSessionsForm(request=request).save(request)
    record(request, request.user, SecurityEvent.Kind.SESSIONS_ENDED)
    messages.success(request, "You are now signed out everywhere except on this device.")
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
