import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.middleware import shows_health_data
from config.routers import reads_from_replica
from tracker import history as month_history
from tracker import insights as insight_answers
from tracker import report as clinician_report
from tracker import week as weekly
from tracker.days import parse_day
from tracker.forms import DailyEntryForm, MedicationForm, ReportForm, SymptomForm
from tracker.measures import CHARTED
from tracker.models import (
    FIRST_DAY,
    DailyEntry,
    EmptyDay,
    Medication,
    StaleEntry,
    Symptom,
    version_of,
)
from tracker.trends.page import TrendsPage
from tracker.trends.periods import RANGE_LABELS, period_for_page, resolve_period
from tracker.trends.series import chart_table, trends_for

RECENT_DAYS = 14
ONE_DAY = datetime.timedelta(days=1)


def _day_or_none(request: HttpRequest, day: str) -> datetime.date | None:
    """The day named in the URL, or None (with a message) if no day can be logged for it."""
    try:
        return parse_day(day, request.user.today())
    except ValidationError as error:
        messages.error(request, error.message)
        return None


def _entries(request: HttpRequest):
    return DailyEntry.objects.for_user(request.user)


@shows_health_data
@login_required
def log_today(request: HttpRequest) -> HttpResponse:
    return _log(request, request.user.today())


@shows_health_data
@login_required
def log_day(request: HttpRequest, day: str) -> HttpResponse:
    parsed = _day_or_none(request, day)
    if parsed is None:
        return redirect("tracker:log_today")
    return _log(request, parsed)


def _log(request: HttpRequest, day: datetime.date) -> HttpResponse:
    today = request.user.today()
    copied_from = None
    changed_elsewhere = None
    if request.method == "POST":
        form = DailyEntryForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                # "version" is what this form showed; a form without it saves regardless.
                DailyEntry.objects.save_day(
                    request.user, day, form.entry_values(), request.POST.get("version")
                )
            except EmptyDay as empty:
                form.add_error(None, str(empty))
            except StaleEntry as stale:
                changed_elsewhere = _both_versions(form, stale.current)
                messages.error(
                    request,
                    "This day changed in another tab or on another device after you opened it, "
                    "so nothing was saved yet. Compare the two versions below.",
                )
            else:
                messages.success(request, f"Saved {_day_name(day, today)}.")
                return redirect("tracker:log_day", day=day.isoformat())
    # The day as it is now: read here, not before every save, which never needs it.
    entry = _entries(request).filter(day=day).first()
    version = version_of(entry)
    if request.method != "POST":
        initial = DailyEntryForm.initial_from(entry) if entry else {}
        if request.GET.get("copy") == "previous":
            copied_from = _entries(request).before(day).order_by("-day").first()
            if copied_from:
                initial = DailyEntryForm.initial_from(copied_from)
        form = DailyEntryForm(initial=initial, user=request.user)
    # The copy button is only offered when there is an earlier day to copy.
    copy_source = (
        None
        if entry or copied_from
        else _entries(request).before(day).order_by("-day").values_list("day", flat=True).first()
    )

    recent_start = day - datetime.timedelta(days=RECENT_DAYS - 1)
    logged_days = set(_entries(request).between(recent_start, day).values_list("day", flat=True))
    recent = [
        {"day": d, "logged": d in logged_days, "current": d == day}
        for d in (recent_start + datetime.timedelta(days=n) for n in range(RECENT_DAYS))
    ]
    return render(
        request,
        "tracker/log.html",
        {
            "form": form,
            "day": day,
            "day_name": _day_name(day, today),
            "entry": entry,
            "copied_from": copied_from,
            "copy_label": _copy_label(day, today, copy_source) if copy_source else None,
            "previous_day": day - ONE_DAY,
            "next_day": day + ONE_DAY if day < today else None,
            "recent": recent,
            "version": version,
            "changed_elsewhere": changed_elsewhere,
        },
    )


def _both_versions(form: DailyEntryForm, saved: DailyEntry | None) -> list[dict]:
    """The answers that differ between what the person submitted and what is saved now; the
    private ones (intimacy, sexual-health symptoms) are marked for discreet mode to hide."""
    saved_values = DailyEntryForm.initial_from(saved) if saved else {}
    mine = form.describe(form.cleaned_data)
    theirs = form.describe(saved_values)
    symptoms = [*form.cleaned_data.get("symptoms", []), *saved_values.get("symptoms", [])]
    private = DailyEntryForm.INTIMACY_FIELDS | (
        {"symptoms"} if any(symptom.intimate for symptom in symptoms) else set()
    )
    return [
        # A day deleted meanwhile has nothing saved at all, not a saved "Skip".
        {
            "label": label,
            "mine": text,
            "saved": theirs[name][1] if saved else "Not logged",
            "private": name in private,
        }
        for name, (label, text) in mine.items()
        if text != theirs[name][1]
    ]


def _copy_label(day: datetime.date, today: datetime.date, source: datetime.date) -> str:
    """Names the day "Same as ..." would copy."""
    if source == day - ONE_DAY:
        return "Same as yesterday" if day == today else "Same as the day before"
    if day - source < datetime.timedelta(days=RECENT_DAYS):
        return f"Same as {source:%A} {source.day} {source:%B}"
    return f"Same as {source.day} {source:%B %Y}"


def _day_name(day: datetime.date, today: datetime.date) -> str:
    if day == today:
        return "today"
    if day == today - datetime.timedelta(days=1):
        return "yesterday"
    return f"{day:%A} {day.day} {day:%B %Y}"


@shows_health_data
@login_required
def delete_day(request: HttpRequest, day: str) -> HttpResponse:
    parsed = _day_or_none(request, day)
    if parsed is None:
        return redirect("tracker:log_today")
    entry = get_object_or_404(_entries(request), day=parsed)
    day_name = _day_name(parsed, request.user.today())
    if request.method == "POST":
        try:
            # "version" is what the confirmation showed; a form without it deletes regardless.
            DailyEntry.objects.delete_day(request.user, parsed, request.POST.get("version"))
        except StaleEntry as stale:
            if stale.current is None:  # deleted meanwhile, in another tab or on another device
                messages.info(request, f"Your log for {day_name} was already deleted.")
                return redirect("tracker:history")
            entry = stale.current
            messages.error(
                request,
                "This day changed in another tab or on another device after you opened it, "
                "so it was not deleted. Look at it again before you delete it.",
            )
        else:
            messages.success(request, f"Deleted your log for {day_name}.")
            return redirect("tracker:history")
    return render(request, "tracker/delete_day.html", {"entry": entry, "day_name": day_name})


@shows_health_data
@reads_from_replica
@login_required
def history(request: HttpRequest) -> HttpResponse:
    month = month_history.month_from(request.GET.get("month"), request.user.today())
    if month is None:
        messages.error(request, "That month could not be read, so here is this month instead.")
        return redirect("tracker:history")
    return render(
        request,
        "tracker/history.html",
        month_history.month_page(request.user, month),
    )


@shows_health_data
@login_required
def symptoms(request: HttpRequest) -> HttpResponse:
    form = SymptomForm(request.POST or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Added “{form.instance.name}” to your symptoms.")
        return redirect("tracker:symptoms")
    return render(
        request,
        "tracker/symptoms.html",
        {
            "form": form,
            "own_symptoms": Symptom.objects.owned_by(request.user),
            "catalogue": Symptom.objects.filter(owner__isnull=True),
        },
    )


@shows_health_data
@login_required
@require_POST
def delete_symptom(request: HttpRequest, symptom_id: int) -> HttpResponse:
    symptom = get_object_or_404(Symptom.objects.owned_by(request.user), pk=symptom_id)
    symptom.delete()
    messages.success(request, f"Removed “{symptom.name}” from your symptoms.")
    return redirect("tracker:symptoms")


@shows_health_data
@reads_from_replica
@login_required
def trends(request: HttpRequest) -> HttpResponse:
    period = period_for_page(request)
    today = request.user.today()
    try:
        year = min(int(request.GET.get("year", period.end.year)), today.year)
    except ValueError:
        year = today.year
    year = max(year, FIRST_DAY.year)
    return render(
        request,
        "tracker/trends.html",
        {
            "period": period,
            "ranges": RANGE_LABELS,
            # The template caches its rendered body per person and data version; the page's
            # numbers are only computed when it has to render again.
            "page": TrendsPage(request.user, period, year),
            "year": year,
            "previous_year": year - 1 if year > FIRST_DAY.year else None,
            "next_year": year + 1 if year < today.year else None,
            "custom_start": request.GET.get("start", ""),
            "custom_end": request.GET.get("end", ""),
        },
    )


@shows_health_data
@login_required
def medications(request: HttpRequest) -> HttpResponse:
    form = MedicationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Added {form.instance.name}.")
        return redirect("tracker:medications")
    return render(
        request,
        "tracker/medications.html",
        {"form": form, "medications": Medication.objects.for_user(request.user)},
    )


def _medication_for(request: HttpRequest, medication_id: int) -> Medication:
    return get_object_or_404(Medication.objects.for_user(request.user), pk=medication_id)


@shows_health_data
@login_required
def edit_medication(request: HttpRequest, medication_id: int) -> HttpResponse:
    medication = _medication_for(request, medication_id)
    form = MedicationForm(request.POST or None, instance=medication, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Saved {medication.name}.")
        return redirect("tracker:medications")
    return render(request, "tracker/medication_edit.html", {"form": form, "medication": medication})


@shows_health_data
@login_required
@require_POST
def delete_medication(request: HttpRequest, medication_id: int) -> HttpResponse:
    medication = _medication_for(request, medication_id)
    medication.delete()
    messages.success(request, f"Removed {medication.name}.")
    return redirect("tracker:medications")


@shows_health_data
@reads_from_replica
@login_required
def trends_table(request: HttpRequest, measure: str) -> HttpResponse:
    if measure not in CHARTED:
        raise Http404("No such chart.")
    period = period_for_page(request)
    payload = trends_for(request.user, period)
    return render(
        request,
        "tracker/trends_table.html",
        {
            "period": period,
            "label": CHARTED[measure][0],
            "sentence": payload["sentences"][measure],
            "rows": chart_table(payload, measure),
            "query": request.GET.urlencode(),
        },
    )


@shows_health_data
@login_required
def report(request: HttpRequest) -> HttpResponse:
    default = resolve_period({}, request.user)
    form = ReportForm(
        request.GET or None,
        user=request.user,
        initial={"start": default.start, "end": default.end},
    )
    period = form.cleaned_data["period"] if form.is_bound and form.is_valid() else default
    include = form.cleaned_data if form.is_bound and form.is_valid() else {}
    context = clinician_report.report_for(
        request.user,
        period,
        include_notes=include.get("include_notes", False),
        include_intimacy=include.get("include_intimacy", False),
    )
    return render(request, "tracker/report.html", {"form": form, "period": period, **context})


@shows_health_data
@reads_from_replica
@login_required
def insights(request: HttpRequest) -> HttpResponse:
    period = period_for_page(request, default="all")
    findings = insight_answers.findings_for(request.user, period)
    return render(
        request,
        "tracker/insights.html",
        {
            "period": period,
            "ranges": RANGE_LABELS,
            "findings": insight_answers.with_interval_bars(findings),
        },
    )


@shows_health_data
@reads_from_replica
@login_required
def week(request: HttpRequest) -> HttpResponse:
    monday = weekly.week_start(request.user.today())
    return render(request, "tracker/week.html", weekly.week_page(request.user, monday))


@shows_health_data
@reads_from_replica
@login_required
def week_of(request: HttpRequest, week: str) -> HttpResponse:
    try:
        monday = weekly.read_week(week, request.user.today())
    except ValidationError as error:
        # The page says what was wrong with the address and leads back to this week.
        return render(request, "tracker/week.html", {"problem": error.message}, status=404)
    return render(request, "tracker/week.html", weekly.week_page(request.user, monday))
