"""The data pages: export, import and account deletion. The rules live in exporting.py,
importing.py, applying.py and deletion.py; these views read the forms, call them, and answer."""

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts import security
from accounts.middleware import shows_health_data
from accounts.models import ApiToken, SecurityEvent
from config.site_data import clears_site_data
from config.uploads import refused_upload_size
from portability import (
    applying,
    deletion,
    exporting,
    fhir,
    importers,
    importing,
    tasks,
    upload_store,
)
from portability.forms import (
    CONFIRMATION_WORD,
    DeleteAccountForm,
    FhirExportForm,
    ImportFile,
    ImportForm,
    OtherAppFile,
    PreviewForm,
    large_limit,
    most_days,
)
from portability.models import ImportJob
from tracker.models import DailyEntry, Medication, Symptom


def _holdings(user) -> dict[str, int]:
    """How much the person has stored, for the pages to say what export and deletion cover."""
    return {
        "days": DailyEntry.objects.for_user(user).count(),
        "medications": Medication.objects.for_user(user).count(),
        "symptoms": Symptom.objects.owned_by(user).count(),
        "tokens": ApiToken.objects.filter(user=user).count(),
    }


@shows_health_data
@login_required
@reauthentication_required
def data(request: HttpRequest) -> HttpResponse:
    return _data_page(request, FhirExportForm())


def _data_page(request: HttpRequest, fhir_form: FhirExportForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "portability/data.html",
        {"holdings": _holdings(request.user), "fhir_form": fhir_form},
        status=status,
    )


@shows_health_data
@login_required
@reauthentication_required
@require_GET
def export(request: HttpRequest, kind: str) -> StreamingHttpResponse:
    security.record(request, request.user, SecurityEvent.Kind.EXPORT)
    return exporting.export_response(request.user, kind)


@shows_health_data
@login_required
@reauthentication_required
@require_GET
def export_fhir(request: HttpRequest) -> HttpResponse:
    """The FHIR bundle, with what the person ticked on the data page."""
    form = FhirExportForm(request.GET)
    if not form.is_valid():  # only an edited address gets here: show what was refused
        messages.error(request, "Nothing was exported. Please check the choices below.")
        return _data_page(request, form, status=400)
    security.record(request, request.user, SecurityEvent.Kind.EXPORT)
    return fhir.fhir_response(request.user, **form.cleaned_data)


@shows_health_data
@login_required
def import_data(request: HttpRequest) -> HttpResponse:
    form = ImportForm(
        request.POST or None, request.FILES or None, refused_size=refused_upload_size(request)
    )
    problems = []
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            existing = form.cleaned_data["existing"]
            if isinstance(upload, OtherAppFile) and upload.large:
                return _store_for_reading(request, upload, existing)
            if isinstance(upload, OtherAppFile):
                return _read_for_preview(request, form, upload)
            overwrite = existing == "overwrite"
            if upload.days > settings.IMPORT_BACKGROUND_DAYS:
                return _queue_import(request, upload, existing, form.cleaned_data["profile"])
            plan = importing.check_import(
                request.user, upload.kind, upload.text, with_profile=form.cleaned_data["profile"]
            )
            problems = plan.errors
            if not problems:
                return _apply_import(request, plan, overwrite, fill_empty=existing == "fill")
        messages.error(request, "Nothing was imported. Please check the problems below.")
    return _import_page(request, form, problems)


# The upload form's choice for days already logged, offered first on the preview.
EXISTING_CHOICE = "portability_import_existing"


def _read_for_preview(request: HttpRequest, form: ImportForm, upload: OtherAppFile) -> HttpResponse:
    """Reads another app's file whole, then shows its preview, or the problem that refuses it."""
    try:
        extraction = importers.read(upload.source, upload.file, request.user)
    except importers.Refused as refused:
        messages.error(request, "Nothing was imported. Please check the problems below.")
        return _import_page(request, form, refused.problems)
    importers.stash(request.session, request.user, extraction)
    request.session[EXISTING_CHOICE] = form.cleaned_data["existing"]
    return redirect("portability:import_preview")


def _store_for_reading(request: HttpRequest, upload: OtherAppFile, existing: str) -> HttpResponse:
    """A file too large to read inside the request (an Apple Health export.zip) is kept
    encrypted for a background job that reads it; its page shows how far it has got, then the
    preview."""
    name, size = upload_store.keep_upload(upload.file)
    try:
        job = ImportJob.objects.create(
            owner=request.user,
            state=ImportJob.State.UPLOADED,
            kind="file",
            source=upload.source,
            upload_name=name,
            bytes_total=size,
            overwrite=existing == "overwrite",
            fill_empty=existing == "fill",
            device=security.coarse_device(request.META.get("HTTP_USER_AGENT", "")),
        )
    except BaseException:
        upload_store.delete(name)
        raise
    tasks.queue_read(job)
    return redirect(job)


@shows_health_data
@login_required
def import_preview(request: HttpRequest) -> HttpResponse:
    """Another app's file as it would be imported (portability/importers): its days, the
    mapping, ten sample days and what is ignored; the person picks what the source leaves
    open, then imports it all or nothing."""
    extraction = importers.stashed(request.session, request.user)
    if extraction is None:
        messages.error(request, "There is no file waiting to be imported. Please choose it again.")
        return redirect("portability:import")
    return _preview_page(
        request,
        extraction,
        drop=lambda: importers.drop(request.session),
        action=reverse("portability:import_preview"),
        existing=request.session.get(EXISTING_CHOICE),
    )


@shows_health_data
@login_required
def import_job_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview of a large file a background job has read (ImportJob state "read")."""
    job = _import_job_for(request, pk)
    if job.state != ImportJob.State.READ:
        return redirect(job)
    initial = "fill" if job.fill_empty else "overwrite" if job.overwrite else "skip"
    return _preview_page(
        request,
        importers.Extraction.from_json(job.file_text),
        drop=job.delete,
        action=reverse("portability:import_job_preview", args=[job.pk]),
        existing=initial,
    )


def _preview_page(
    request: HttpRequest, extraction: importers.Extraction, drop, action: str, existing: str | None
) -> HttpResponse:
    """The preview, wherever the extraction waits; drop() forgets it once imported or
    cancelled."""
    if request.method == "POST" and "cancel" in request.POST:
        drop()
        messages.success(request, "Nothing was imported, and the file's contents are gone.")
        return redirect("portability:import")
    form = PreviewForm(request.POST or None, extraction=extraction, existing=existing)
    preview = importers.preview(request.user, extraction, form.choices)
    if request.method == "POST" and "import" in request.POST and form.is_valid():
        if not preview.plan.errors:
            drop()
            existing = form.cleaned_data["existing"]
            if len(preview.plan.days) > settings.IMPORT_BACKGROUND_DAYS:
                text = importers.queued_text(extraction, form.cleaned_data)
                queued = ImportFile("json", text, len(preview.plan.days))
                return _queue_import(request, queued, existing, False)
            return _apply_import(
                request, preview.plan, existing == "overwrite", fill_empty=existing == "fill"
            )
        messages.error(request, "Nothing was imported. Please check the problems below.")
    return render(
        request,
        "portability/import_preview.html",
        {
            "form": form,
            "extraction": extraction,
            "source": importers.SOURCES[extraction.source],
            "preview": preview,
            "problems": preview.plan.errors,
            "action": action,
        },
    )


# A job the import page shows until it ends: a file being read, read, or being imported.
WAITING = [
    ImportJob.State.UPLOADED,
    ImportJob.State.READING,
    ImportJob.State.READ,
    ImportJob.State.QUEUED,
    ImportJob.State.RUNNING,
]


def _import_page(
    request: HttpRequest, form: ImportForm, problems: list, job: ImportJob | None = None
) -> HttpResponse:
    """The import form, under the job's progress or outcome: the one asked for, or else any
    the person still has running."""
    if job is None:
        job = ImportJob.objects.filter(owner=request.user, state__in=WAITING).first()
    return render(
        request,
        "portability/import.html",
        {
            "form": form,
            "problems": problems,
            "job": job,
            "columns": exporting.DAY_FIELDS,
            "background_days": settings.IMPORT_BACKGROUND_DAYS,
            "most_days": most_days(),
            "max_bytes": settings.UPLOAD_MAX_BYTES,
            "large_max_bytes": large_limit(),
        },
    )


def _apply_import(
    request: HttpRequest, plan: importing.ImportPlan, overwrite: bool, fill_empty: bool = False
) -> HttpResponse:
    try:
        result = applying.apply_import(
            request.user, plan, overwrite=overwrite, fill_empty=fill_empty
        )
    except IntegrityError:
        # A day was saved in another tab between checking the file and writing it.
        messages.error(request, applying.RECORDS_CHANGED)
        return redirect("portability:import")
    security.record(request, request.user, SecurityEvent.Kind.IMPORT)
    messages.success(request, result.summary(overwrite=overwrite))
    return redirect("portability:import")


def _queue_import(
    request: HttpRequest, upload: ImportFile, existing: str, with_profile: bool
) -> HttpResponse:
    """A large file is checked and written by a background job; its page shows the progress."""
    job = ImportJob.objects.create(
        owner=request.user,
        kind=upload.kind,
        file_text=upload.text,
        days_total=upload.days,
        overwrite=existing == "overwrite",
        fill_empty=existing == "fill",
        with_profile=with_profile,
        device=security.coarse_device(request.META.get("HTTP_USER_AGENT", "")),
    )
    tasks.queue_import(job)
    return redirect(job)


def _import_job_for(request: HttpRequest, pk: int) -> ImportJob:
    return get_object_or_404(ImportJob.objects.filter(owner=request.user), pk=pk)


@shows_health_data
@login_required
@require_GET
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _import_job_for(request, pk)
    if job.state == ImportJob.State.READ:
        return redirect("portability:import_job_preview", job.pk)
    return _import_page(request, ImportForm(), job.problem_list, job)


@shows_health_data
@login_required
@require_GET
def import_job_status(request: HttpRequest, pk: int) -> JsonResponse:
    """How far the job has got, for the page's script to show without reloading."""
    job = _import_job_for(request, pk)
    status = {
        "state": job.state,
        "state_label": job.get_state_display(),
        "days_checked": job.days_checked,
        "days_total": job.days_total,
        "finished": job.finished,
    }
    if job.kind == "file":  # a large file being read: how much, and whether its preview is ready
        status.update(
            ready=job.state == ImportJob.State.READ,
            progress=job.progress,
            progress_text=job.progress_text,
        )
    return JsonResponse(status, headers={"Cache-Control": "no-store"})


@clears_site_data
@login_required
@reauthentication_required
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            person = request.user
            logout(request)
            deletion.delete_account(person)
            return redirect("portability:deleted")
        messages.error(request, "Nothing was deleted. Please check the confirmation below.")
    return render(
        request,
        "portability/delete.html",
        {
            "form": form,
            "holdings": _holdings(request.user),
            "word": CONFIRMATION_WORD,
        },
    )


def account_deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "portability/deleted.html")
