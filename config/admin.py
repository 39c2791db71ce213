"""Hearth's admin site: entered through the site's own sign-in, and only with two-factor on.

Signing in through allauth's form means its rate limits and two-factor step apply to staff too;
the admin's own login form is never shown. Staff without an authenticator app or a passkey see a
page that tells them to set one up, and no admin page at all (`ADMIN_REQUIRE_MFA`).
"""

from functools import update_wrapper

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.module_loading import import_string

# Recovery codes are a fallback for these, not a second factor on their own.
SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


def lacks_required_mfa(request: HttpRequest) -> bool:
    """Staff need an authenticator app or passkey, and must have used it to sign in to this
    session: turning two-factor on in a session opened with a password alone is not enough."""
    if not settings.ADMIN_REQUIRE_MFA:
        return False
    if not is_mfa_enabled(request.user, types=SECOND_FACTORS):
        return True
    records = get_authentication_records(request, request.user)
    return not any(record.get("method") == "mfa" for record in records)


class HearthAdminSite(admin.AdminSite):
    site_header = "Hearth moderation"
    site_title = "Hearth moderation"
    index_title = "Moderation"
    index_template = "admin/hearth_index.html"
    # Two lists do not need a sidebar, and its filter box has no visible label.
    enable_nav_sidebar = False

    def get_urls(self):
        return [
            path("dashboard/", self.admin_view(self.dashboard), name="dashboard"),
            *super().get_urls(),
        ]

    def admin_view(self, view, cacheable=False):
        def unless_mfa_missing(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if lacks_required_mfa(request):
                return self.two_factor_required(request)
            return view(request, *args, **kwargs)

        # The parent's wrapper sends anyone who is not active staff to the sign-in first.
        return super().admin_view(update_wrapper(unless_mfa_missing, view), cacheable)

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        if not request.user.is_authenticated:
            next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse(
                "admin:index", current_app=self.name
            )
            return redirect_to_login(next_url, settings.LOGIN_URL)
        if not self.has_permission(request):
            # Sending a signed-in person to the sign-in page would bring them straight back.
            return TemplateResponse(request, "admin/staff_only.html", status=403)
        if lacks_required_mfa(request):
            return self.two_factor_required(request)
        return redirect("admin:index")

    def password_change(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        # The site's own page: rate-limited, and it asks for the current password.
        return redirect("account_change_password")

    def two_factor_required(self, request: HttpRequest) -> HttpResponse:
        return TemplateResponse(request, "admin/two_factor_required.html", status=403)

    def dashboard(self, request: HttpRequest) -> HttpResponse:
        """Aggregate figures about accounts for moderators: counts only, nobody's records.

        The figures read apps' models, so a setting names them: config imports no app."""
        if not request.user.has_perm("accounts.view_user"):
            raise PermissionDenied
        context = {
            **self.each_context(request),
            "title": "Dashboard",
            "figures": import_string(settings.ADMIN_DASHBOARD)(),
        }
        return TemplateResponse(request, "admin/dashboard.html", context)
