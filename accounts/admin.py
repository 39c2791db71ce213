"""The moderation admin: accounts and the moderation log, never a health value.

Daily entries, symptoms, medications, notes and conditions are not registered here and not shown
in any column, form, search or log message. Each moderation action asks for a reason and writes
one line to the append-only moderation log.
"""

from allauth.account.forms import ResetPasswordForm
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils import timezone

from accounts.models import ApiToken, ModerationAction, User

Action = ModerationAction.Action


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Why, in a sentence a colleague can follow. It goes in the moderation log.",
    )


def end_sessions(user: User) -> int:
    """Sign the person out everywhere: delete every live session that belongs to them."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended


def suspend(user: User) -> None:
    """Stop the person signing in, end their sessions and revoke their API tokens at once."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    end_sessions(user)
    ApiToken.objects.filter(user=user).delete()


def reactivate(user: User) -> None:
    user.is_active = True
    user.save(update_fields=["is_active"])


def send_password_reset(request, user: User) -> None:
    form = ResetPasswordForm(data={"email": user.email})
    if form.is_valid():
        form.save(request)


def _moderate(modeladmin, request, queryset, action: Action, apply) -> TemplateResponse | None:
    """Ask for a reason on an intermediate page; with one, apply and log the action per account."""
    form = ReasonForm(request.POST if "apply" in request.POST else None)
    if "apply" in request.POST:
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            for user in queryset:
                with transaction.atomic():
                    apply(request, user)
                    ModerationAction.objects.create(
                        moderator=request.user,
                        target=user,
                        target_email=user.email,
                        target_id_at_time=user.pk,
                        action=action,
                        reason=reason,
                    )
            modeladmin.message_user(
                request, f"{action.label}: done for {len(queryset)} account(s).", messages.SUCCESS
            )
            return None
        modeladmin.message_user(request, "Give a reason: nothing was done.", messages.ERROR)
    return TemplateResponse(
        request,
        "admin/accounts/moderation_reason.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": f"{action.label}: give a reason",
            "opts": modeladmin.model._meta,
            "action_name": request.POST.get("action"),
            "action_label": action.label,
            "accounts": queryset,
            "form": form,
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
        },
    )


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("active", "Active"), ("suspended", "Suspended")]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.filter(is_active=True)
        if self.value() == "suspended":
            return queryset.filter(is_active=False)
        return queryset


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Account fields only: health data is never registered in the admin."""

    ordering = ["email"]
    list_display = ["email", "display_name", "date_joined", "last_login", "status", "days_logged"]
    search_fields = ["email"]
    list_filter = [StatusFilter, "is_staff", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["display_name", "time_zone"]}),
        ("Consent", {"fields": ["consent_given_at", "consent_version"]}),
        ("Status", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    readonly_fields = ["consent_given_at", "consent_version", "last_login", "date_joined"]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    actions = ["suspend_accounts", "reactivate_accounts", "end_all_sessions", "send_reset_email"]

    def get_queryset(self, request):
        # How many days someone logged, counted in SQL: never the values themselves.
        return super().get_queryset(request).annotate(days_logged=Count("entries", distinct=True))

    def get_readonly_fields(self, request, obj=None):
        # Moderators manage accounts; only operators hand out staff rights.
        if request.user.is_superuser:
            return self.readonly_fields
        return [*self.readonly_fields, "is_staff", "is_superuser", "groups"]

    def has_delete_permission(self, request, obj=None):
        # Django's delete pages list related objects (entries, symptoms, medications) by name;
        # deletion from the admin waits for its own typed-confirmation page.
        return False

    @admin.display(description="status", ordering="is_active")
    def status(self, user: User) -> str:
        return "Active" if user.is_active else "Suspended"

    @admin.display(description="days logged", ordering="days_logged")
    def days_logged(self, user: User) -> int:
        return user.days_logged

    @admin.action(description="Suspend selected accounts", permissions=["change"])
    def suspend_accounts(self, request, queryset):
        return _moderate(self, request, queryset, Action.SUSPEND, lambda r, user: suspend(user))

    @admin.action(description="Reactivate selected accounts", permissions=["change"])
    def reactivate_accounts(self, request, queryset):
        return _moderate(
            self, request, queryset, Action.REACTIVATE, lambda r, user: reactivate(user)
        )

    @admin.action(description="End all sessions of selected accounts", permissions=["change"])
    def end_all_sessions(self, request, queryset):
        return _moderate(
            self, request, queryset, Action.END_SESSIONS, lambda r, user: end_sessions(user)
        )

    @admin.action(description="Send a password-reset email", permissions=["change"])
    def send_reset_email(self, request, queryset):
        return _moderate(self, request, queryset, Action.SEND_PASSWORD_RESET, send_password_reset)


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    """The moderation log: read-only for everyone, superusers included."""

    list_display = ["created_at", "action", "target_email", "moderator", "reason"]
    list_filter = ["action", "created_at"]
    search_fields = ["target_email"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "created_at",
        "action",
        "target",
        "target_email",
        "target_id_at_time",
        "moderator",
        "reason",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# allauth registers its two-factor secrets and session records (addresses, user agents) in the
# admin; moderators need neither, and the accounts list shows whether two-factor is on.
for model in (Authenticator, UserSession):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
