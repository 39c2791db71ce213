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
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.template.response import TemplateResponse

from accounts.erasure import erase_account
from accounts.lockout import all_locked_out_ids, clear_lockout, locked_out_ids
from accounts.models import ModerationAction, User
from config.admin import SECOND_FACTORS

Action = ModerationAction.Action


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Why, in a sentence a colleague can follow. It goes in the moderation log.",
    )


def send_password_reset(request, user: User) -> None:
    form = ResetPasswordForm(data={"email": user.email})
    if form.is_valid():
        form.save(request)


def _logged(action: Action, step):
    """A moderation step that is not a method of the user: do it, then write its log line."""

    def apply(request, user: User, reason: str) -> None:
        step(request, user)
        ModerationAction.record(request.user, user, action, reason)

    return apply


def _reason_page(modeladmin, request, action: Action, accounts, form, warning: str = ""):
    return TemplateResponse(
        request,
        "admin/accounts/moderation_reason.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": f"{action.label}: give a reason",
            "opts": modeladmin.model._meta,
            "action_name": request.POST.get("action"),
            "action_label": action.label,
            "accounts": accounts,
            "form": form,
            "warning": warning,
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
        },
    )


def _moderate(modeladmin, request, queryset, action: Action, apply) -> TemplateResponse | None:
    """Ask for a reason on an intermediate page; with one, `apply(request, user, reason)` per
    account, which does the action and writes its line in the moderation log."""
    if not request.user.is_superuser and queryset.filter(is_staff=True).exists():
        modeladmin.message_user(
            request,
            "Staff accounts are moderated by an operator, not by moderators: nothing was done.",
            messages.ERROR,
        )
        return None
    form = ReasonForm(request.POST if "apply" in request.POST else None)
    if "apply" in request.POST:
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            for user in queryset:
                with transaction.atomic():
                    apply(request, user, reason)
            modeladmin.message_user(
                request, f"{action.label}: done for {len(queryset)} account(s).", messages.SUCCESS
            )
            return None
        modeladmin.message_user(request, "Give a reason: nothing was done.", messages.ERROR)
    return _reason_page(modeladmin, request, action, queryset, form)


class AccountDeletionForm(ReasonForm):
    confirm_email = forms.CharField(
        label="Type the account's email address to confirm",
        help_text="Deletion cannot be undone: every record of this person goes with the account.",
    )

    def __init__(self, *args, account: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account

    def clean_confirm_email(self) -> str:
        typed = self.cleaned_data["confirm_email"].strip()
        if typed.lower() != self.account.email.lower():
            raise forms.ValidationError(
                "That is not this account's email address: type it exactly as shown above."
            )
        return typed


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("active", "Active"), ("suspended", "Suspended"), ("locked_out", "Locked out")]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.filter(is_active=True)
        if self.value() == "suspended":
            return queryset.filter(is_active=False)
        if self.value() == "locked_out":
            return queryset.filter(pk__in=all_locked_out_ids())
        return queryset


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Account fields only: health data is never registered in the admin."""

    ordering = ["email"]
    list_display = [
        "email",
        "display_name",
        "date_joined",
        "last_login",
        "status",
        "two_factor",
        "days_logged",
    ]
    search_fields = ["email"]
    list_filter = [StatusFilter, "date_joined", "is_staff"]
    # No password here: the admin's page for setting someone's password would let whoever
    # moderates sign in as them and read their journal. People change or reset their own;
    # moderators can send a reset email (an action below).
    fieldsets = [
        (None, {"fields": ["email"]}),
        ("Profile", {"fields": ["display_name", "time_zone"]}),
        ("Consent", {"fields": ["consent_given_at", "consent_version"]}),
        ("Status", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    # Suspending and reactivating go through the actions, which ask for a reason and log it.
    readonly_fields = [
        "is_active",
        "consent_given_at",
        "consent_version",
        "last_login",
        "date_joined",
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    actions = [
        "suspend_accounts",
        "reactivate_accounts",
        "end_all_sessions",
        "clear_lockouts",
        "send_reset_email",
        "delete_account",
    ]

    def user_change_password(self, request, id, form_url=""):
        raise PermissionDenied("Nobody sets another person's password here.")

    def get_queryset(self, request):
        # How many days someone logged, counted in SQL: never the values themselves.
        # Whether two-factor is on: a recovery code alone is no second factor.
        second_factor = Authenticator.objects.filter(user=OuterRef("pk"), type__in=SECOND_FACTORS)
        return (
            super()
            .get_queryset(request)
            .annotate(days_logged=Count("entries", distinct=True), mfa_on=Exists(second_factor))
        )

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # Lockouts live in the cache, not the database: read them once for the whole page.
        locked = locked_out_ids(changelist.result_list)
        for account in changelist.result_list:
            account.locked_out = account.pk in locked
        return changelist

    def get_readonly_fields(self, request, obj=None):
        # Moderators manage accounts; only operators hand out staff rights.
        if request.user.is_superuser:
            return self.readonly_fields
        return [*self.readonly_fields, "is_staff", "is_superuser", "groups"]

    def has_change_permission(self, request, obj=None):
        # Moderators look after people's accounts; staff accounts, their own included, are an
        # operator's to change.
        if obj is not None and obj.is_staff and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Django's delete pages list related objects (entries, symptoms, medications) by name;
        # accounts are deleted with the "Delete the selected account" action instead.
        return False

    @admin.display(description="status", ordering="is_active")
    def status(self, user: User) -> str:
        if not user.is_active:
            return "Suspended"
        return "Locked out" if getattr(user, "locked_out", False) else "Active"

    @admin.display(description="two-factor", ordering="mfa_on")
    def two_factor(self, user: User) -> str:
        return "On" if user.mfa_on else "Off"

    @admin.display(description="days logged", ordering="days_logged")
    def days_logged(self, user: User) -> int:
        return user.days_logged

    @admin.action(description="Suspend selected accounts", permissions=["change"])
    def suspend_accounts(self, request, queryset):
        return _moderate(
            self,
            request,
            queryset,
            Action.SUSPEND,
            lambda r, user, reason: user.suspend(reason, by=r.user),
        )

    @admin.action(description="Reactivate selected accounts", permissions=["change"])
    def reactivate_accounts(self, request, queryset):
        return _moderate(
            self,
            request,
            queryset,
            Action.REACTIVATE,
            lambda r, user, reason: user.reactivate(reason, by=r.user),
        )

    @admin.action(description="End all sessions of selected accounts", permissions=["change"])
    def end_all_sessions(self, request, queryset):
        sign_out = _logged(Action.END_SESSIONS, lambda r, user: user.sign_out_everywhere())
        return _moderate(self, request, queryset, Action.END_SESSIONS, sign_out)

    @admin.action(
        description="Clear the sign-in lockout of selected accounts", permissions=["change"]
    )
    def clear_lockouts(self, request, queryset):
        clear = _logged(Action.CLEAR_LOCKOUT, lambda r, user: clear_lockout(user))
        return _moderate(self, request, queryset, Action.CLEAR_LOCKOUT, clear)

    @admin.action(description="Send a password-reset email", permissions=["change"])
    def send_reset_email(self, request, queryset):
        send = _logged(Action.SEND_PASSWORD_RESET, send_password_reset)
        return _moderate(self, request, queryset, Action.SEND_PASSWORD_RESET, send)

    @admin.action(description="Delete the selected account", permissions=["change"])
    def delete_account(self, request, queryset):
        """The same complete deletion as the person's own, after a reason and the account's
        email typed out; one account at a time, never a staff account."""
        if len(queryset) != 1:
            self.message_user(
                request,
                "Select exactly one account: accounts are deleted one at a time.",
                messages.ERROR,
            )
            return None
        account = queryset[0]
        if account.is_staff:
            self.message_user(
                request,
                "Staff accounts are not deleted here: an operator takes their staff rights away "
                "first.",
                messages.ERROR,
            )
            return None
        applying = "apply" in request.POST
        form = AccountDeletionForm(request.POST if applying else None, account=account)
        if applying and form.is_valid():
            with transaction.atomic():
                ModerationAction.record(
                    request.user, account, Action.DELETE_ACCOUNT, form.cleaned_data["reason"]
                )
                erase_account(account)
            self.message_user(request, "The account and all its records are deleted.")
            return None
        if applying:
            self.message_user(request, "Nothing was deleted: see below.", messages.ERROR)
        warning = "This deletes the account and every record in it, for good."
        return _reason_page(self, request, Action.DELETE_ACCOUNT, [account], form, warning)


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
