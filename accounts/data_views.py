"""The data rights pages: export, import and account deletion. The rules live in
accounts/data_rights.py; these views read the forms, call it, and answer."""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from accounts import data_rights, security
from accounts.models import ApiToken, SecurityEvent
from tracker.models import DailyEntry, Medication, Symptom


def _holdings(user) -> dict[str, int]:
    """How much the person has stored, for the pages to say what export and deletion cover."""
    return {
        "days": DailyEntry.objects.for_user(user).count(),
        "medications": Medication.objects.for_user(user).count(),
        "symptoms": Symptom.objects.owned_by(user).count(),
        "tokens": ApiToken.objects.filter(user=user).count(),
    }


@login_required
@reauthentication_required
def data(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/data.html", {"holdings": _holdings(request.user)})


@login_required
@reauthentication_required
@require_GET
def export(request: HttpRequest, kind: str) -> StreamingHttpResponse:
    security.record(request, request.user, SecurityEvent.Kind.EXPORT)
    return data_rights.export_response(request.user, kind)


@login_required
def import_data(request: HttpRequest) -> HttpResponse:
    form = data_rights.ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST":
        if form.is_valid():
            kind, text = form.cleaned_data["file"]
            plan = data_rights.check_import(
                request.user, kind, text, with_profile=form.cleaned_data["profile"]
            )
            problems = plan.errors
            if not problems:
                return _apply_import(request, plan, form.cleaned_data["existing"] == "overwrite")
        messages.error(request, "Nothing was imported. Please check the problems below.")
    return render(
        request,
        "accounts/import.html",
        {"form": form, "problems": problems, "columns": data_rights.DAY_FIELDS},
    )


def _apply_import(
    request: HttpRequest, plan: data_rights.ImportPlan, overwrite: bool
) -> HttpResponse:
    try:
        result = data_rights.apply_import(request.user, plan, overwrite=overwrite)
    except IntegrityError:
        # A day was saved in another tab between checking the file and writing it.
        messages.error(
            request,
            "Your records changed while importing, so nothing was imported. "
            "Please import the file again.",
        )
        return redirect("accounts:import")
    security.record(request, request.user, SecurityEvent.Kind.IMPORT)
    summary = f"Imported {result.created} new day{'s' * (result.created != 1)}"
    if overwrite:
        summary += f" and replaced {result.replaced}"
    elif result.skipped:
        summary += f", and kept your own {result.skipped} where the file had them too"
    extras = []
    if result.medications:
        extras.append(f"{result.medications} medication{'s' * (result.medications != 1)}")
    if result.symptoms:
        extras.append(f"{result.symptoms} new symptom{'s' * (result.symptoms != 1)} of your own")
    if plan.profile is not None:
        extras.append("your profile settings")
    if extras:
        summary += "; also " + " and ".join(extras)
    messages.success(request, summary + ".")
    return redirect("accounts:import")


@login_required
@reauthentication_required
def delete_account(request: HttpRequest) -> HttpResponse:
    form = data_rights.DeleteAccountForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            person = request.user
            logout(request)
            data_rights.delete_account(person)
            return redirect("accounts:deleted")
        messages.error(request, "Nothing was deleted. Please check the confirmation below.")
    return render(
        request,
        "accounts/delete.html",
        {
            "form": form,
            "holdings": _holdings(request.user),
            "word": data_rights.CONFIRMATION_WORD,
        },
    )


def account_deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/deleted.html")
