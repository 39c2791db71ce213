"""/share/: the person's share links (make, list with openings, revoke); /s/<secret>/: the
page a link opens, without an account."""

from allauth.account.decorators import reauthentication_required
from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.middleware import shows_health_data
from accounts.models import SecurityEvent
from accounts.security import coarse_device, record
from sharing.forms import PasscodeForm, ShareLinkForm
from sharing.models import ShareLink, ShareLinkOpening
from sharing.page import shared_page

# A new link's address, kept from the POST that made it until the page shows it once.
NEW_LINK_SESSION_KEY = "hearth_new_share_link"
PASSCODE_RATE = "share_passcode_failed"  # settings.ACCOUNT_RATE_LIMITS
OPENINGS_SHOWN = 50


@shows_health_data
@never_cache  # the page may carry a new link's secret
@login_required
@reauthentication_required(allow_get=True)  # making a link asks for the password, like export
def share(request: HttpRequest) -> HttpResponse:
    form = ShareLinkForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        _, secret = form.create_link()
        record(request, request.user, SecurityEvent.Kind.SHARE_LINK_CREATED)
        # The session (on the server) carries the secret to the page that shows it, so
        # refreshing that page makes no second link; never a cookie or the address.
        request.session[NEW_LINK_SESSION_KEY] = {
            "url": request.build_absolute_uri(reverse("shared", args=[secret]))
        }
        return redirect("sharing:share")
    latest = ShareLinkOpening.objects.order_by("-opened_at", "-pk")[:OPENINGS_SHOWN]
    links = (
        ShareLink.objects.for_user(request.user)
        .annotate(opening_count=Count("openings"))
        .prefetch_related(Prefetch("openings", queryset=latest, to_attr="latest_openings"))
    )
    return render(
        request,
        "sharing/share.html",
        {
            "form": form,
            "new_link": request.session.pop(NEW_LINK_SESSION_KEY, None),
            "links": links,
            "openings_shown": OPENINGS_SHOWN,
            "now": timezone.now(),
        },
    )


@shows_health_data
@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(ShareLink.objects.for_user(request.user), pk=pk)
    if link.revoked_at is None:
        link.revoke()
        record(request, request.user, SecurityEvent.Kind.SHARE_LINK_REVOKED)
    messages.success(request, "Revoked. The link no longer opens anything.")
    return redirect("sharing:share")


def _unlisted(response: HttpResponse) -> HttpResponse:
    """Every answer under /s/ (the page, its passcode form, its 404 and 429): never indexed,
    never kept by a cache, and the address (which holds the secret) never sent on as a
    Referer."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


# No CSRF token: under Referrer-Policy no-referrer a browser sends "Origin: null" with the
# passcode form, which Django's check refuses. Nothing here acts for a signed-in visitor (the
# page needs no account and changes none), so a forged post could only guess a passcode,
# which needs the secret and counts against the same limits; and no cookie is set at all.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def shared(request: HttpRequest, secret: str) -> HttpResponse:
    link = ShareLink.objects.opened_by(secret)
    if link is None:
        # Unknown, revoked and expired all answer here, alike: the site's own 404 page.
        return _unlisted(render(request, "404.html", status=404))
    device = coarse_device(request.META.get("HTTP_USER_AGENT", ""))
    if not link.has_passcode:
        link.record_opening(device, passcode_given=False)
        return _unlisted(render(request, "sharing/shared.html", shared_page(link)))
    form = PasscodeForm(request.POST or None)
    if request.method == "POST":
        limit = {"action": PASSCODE_RATE, "key": str(link.pk)}
        if not ratelimit.consume(request, dry_run=True, **limit):
            return _unlisted(render(request, "429.html", status=429))
        if form.is_valid():
            if link.passcode_matches(form.cleaned_data["passcode"]):
                link.record_opening(device, passcode_given=True)
                return _unlisted(render(request, "sharing/shared.html", shared_page(link)))
            ratelimit.consume(request, **limit)
            form.add_error("passcode", "That passcode is not the one set for this page.")
    return _unlisted(render(request, "sharing/passcode.html", {"form": form}))
