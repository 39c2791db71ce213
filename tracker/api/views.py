"""The API's views. Each queryset starts from request.user, and writes set the owner from it, so
a client never names a person and another person's records answer 404 like missing ones."""

import datetime
import re

from allauth.account.decorators import reauthentication_required
from allauth.core.exceptions import ReauthenticationRequired
from django.db.models import QuerySet
from django.http import HttpRequest, JsonResponse, StreamingHttpResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import data_rights, security
from accounts.models import Condition, SecurityEvent
from tracker import insights as insight_answers
from tracker import trends as trend_numbers
from tracker.api import payloads
from tracker.api.errors import PreconditionFailed, error_body
from tracker.api.serializers import (
    ConditionSerializer,
    EntryFilterSerializer,
    EntrySerializer,
    MedicationSerializer,
    SymptomSerializer,
)
from tracker.models import FIRST_DAY, DailyEntry, EmptyDay, Medication, StaleEntry, Symptom

ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def day_query(name: str, description: str) -> OpenApiParameter:
    """A day in the query string; as on the pages, an empty value counts as not given."""
    blank = {"type": "string", "maxLength": 0}
    return OpenApiParameter(
        name, {"oneOf": [{"type": "string", "format": "date"}, blank]}, description=description
    )


DAY_PARAMETER = OpenApiParameter(
    "day",
    OpenApiTypes.DATE,
    OpenApiParameter.PATH,
    description="A day in your own time zone, from 1900-01-01 to today.",
)


class ThrottleFirst:
    """Counts every request against the throttles before permissions are checked.

    DRF throttles after the permission check, so requests refused for want of credentials (or
    with wrong ones) would never be counted; this way anonymous addresses are limited too."""

    def perform_authentication(self, request: Request) -> None:
        try:
            super().perform_authentication(request)
        finally:
            self.check_throttles(request)

    def check_throttles(self, request: Request) -> None:
        if not getattr(self, "_throttles_checked", False):
            self._throttles_checked = True
            super().check_throttles(request)


def etag_header(entry: DailyEntry) -> dict[str, str]:
    return {"ETag": f'"{entry.version}"'}


def expected_version(request: Request, day: datetime.date) -> str | None:
    """The day version an If-Match header asks for; None when the write is unconditional."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    tag = header.strip().removeprefix("W/").strip('"')
    if tag == "*":  # the day must exist, whatever its version
        if not DailyEntry.objects.filter(user=request.user, day=day).exists():
            raise PreconditionFailed()
        return None
    return tag


def parse_day(value: str, today: datetime.date) -> datetime.date:
    """The day named in a URL, or a 400 saying why it can't be logged."""
    try:
        if not ISO_DAY.fullmatch(value):
            raise ValueError
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise serializers.ValidationError(
            {"day": [f"“{value}” is not a real date. Use YYYY-MM-DD, for example 2026-01-31."]}
        ) from None
    if day > today:
        raise serializers.ValidationError(
            {"day": ["That day hasn't happened yet. You can log today or any earlier day."]}
        )
    if day < FIRST_DAY:
        raise serializers.ValidationError({"day": ["Hearth keeps days from 1900 on."]})
    return day


@extend_schema(tags=["entries"])
class EntryViewSet(ThrottleFirst, viewsets.GenericViewSet):
    """One day's log per day, addressed by the day (YYYY-MM-DD) in your own time zone."""

    queryset = DailyEntry.objects.none()  # for the schema; get_queryset starts from the person
    serializer_class = EntrySerializer
    lookup_field = "day"
    lookup_value_regex = "[^/]+"  # anything, so an impossible date answers 400, not 404

    def get_queryset(self) -> QuerySet[DailyEntry]:
        return (
            DailyEntry.objects.for_user(self.request.user)
            .prefetch_related("intimacy_barriers", "symptoms")
            .order_by("day")
        )

    def _entry(self, day: datetime.date) -> DailyEntry:
        entry = self.get_queryset().filter(day=day).first()
        if entry is None:
            raise NotFound("Nothing is logged for that day.")
        return entry

    @extend_schema(
        parameters=[
            day_query("start", "First day, included."),
            day_query("end", "Last day, included."),
        ]
    )
    def list(self, request: Request) -> Response:
        filters = EntryFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        entries = self.get_queryset()
        if "start" in filters.validated_data:
            entries = entries.filter(day__gte=filters.validated_data["start"])
        if "end" in filters.validated_data:
            entries = entries.filter(day__lte=filters.validated_data["end"])
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(parameters=[DAY_PARAMETER])
    def retrieve(self, request: Request, day: str) -> Response:
        entry = self._entry(parse_day(day, request.user.today()))
        return Response(self.get_serializer(entry).data, headers=etag_header(entry))

    @extend_schema(
        parameters=[DAY_PARAMETER], responses={200: EntrySerializer, 201: EntrySerializer}
    )
    def update(self, request: Request, day: str) -> Response:
        """Create or replace the day: fields left out are saved as not logged. A day with no
        answer at all is refused (400): it would count as logged."""
        return self._save(request, parse_day(day, request.user.today()), partial=False)

    @extend_schema(parameters=[DAY_PARAMETER])
    def partial_update(self, request: Request, day: str) -> Response:
        """Change the fields sent and keep the others."""
        return self._save(request, parse_day(day, request.user.today()), partial=True)

    @extend_schema(parameters=[DAY_PARAMETER])
    def destroy(self, request: Request, day: str) -> Response:
        entry = self._entry(parse_day(day, request.user.today()))
        try:
            DailyEntry.objects.delete_day(
                request.user, entry.day, expected_version(request, entry.day)
            )
        except StaleEntry:
            raise PreconditionFailed() from None
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _save(self, request: Request, day: datetime.date, partial: bool) -> Response:
        # A PATCH merges over the saved day; a PUT replaces it, so it only needs to know it exists.
        entry = self._entry(day) if partial else None
        existed = partial or self.get_queryset().filter(day=day).exists()
        serializer = self.get_serializer(entry, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        try:
            saved = DailyEntry.objects.save_day(
                request.user, day, serializer.form.entry_values(), expected_version(request, day)
            )
        except EmptyDay as empty:
            raise serializers.ValidationError({"non_field_errors": [str(empty)]}) from None
        except StaleEntry:
            raise PreconditionFailed() from None
        return Response(
            self.get_serializer(saved).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
            headers=etag_header(saved),
        )


@extend_schema(tags=["symptoms"])
class SymptomViewSet(
    ThrottleFirst,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The shared catalogue plus your own symptoms. Only your own can be deleted: a catalogue
    symptom's id answers 404 to DELETE, as another person's does."""

    queryset = Symptom.objects.none()  # for the schema; get_queryset starts from the person
    serializer_class = SymptomSerializer

    def get_queryset(self) -> QuerySet[Symptom]:
        if self.action == "destroy":
            return Symptom.objects.owned_by(self.request.user)
        return Symptom.objects.available_to(self.request.user)

    def perform_create(self, serializer: SymptomSerializer) -> None:
        serializer.instance = serializer.form.save()  # SymptomForm makes the person the owner


@extend_schema(tags=["medications"])
class MedicationViewSet(ThrottleFirst, viewsets.ModelViewSet):
    queryset = Medication.objects.none()  # for the schema; get_queryset starts from the person
    serializer_class = MedicationSerializer

    def get_queryset(self) -> QuerySet[Medication]:
        return Medication.objects.for_user(self.request.user)

    def perform_create(self, serializer: MedicationSerializer) -> None:
        serializer.instance = serializer.form.save()  # MedicationForm makes the person the owner

    def perform_update(self, serializer: MedicationSerializer) -> None:
        serializer.form.save()


@extend_schema(tags=["conditions"])
class ConditionViewSet(ThrottleFirst, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The conditions catalogue, for the `conditions` of /api/v1/me/."""

    queryset = Condition.objects.all()
    serializer_class = ConditionSerializer


PERIOD_PARAMETERS = [
    OpenApiParameter(
        "range",
        OpenApiTypes.STR,
        enum=[*trend_numbers.RANGES, "all"],
        description="A range ending today. Ignored when start or end is given.",
    ),
    day_query("start", "First day (give end too)."),
    day_query("end", "Last day (cut off at today)."),
]


def _period(request: Request, default: str) -> trend_numbers.Period:
    try:
        return trend_numbers.resolve_period(request.query_params, request.user, default=default)
    except trend_numbers.PeriodError as error:
        raise serializers.ValidationError({"range": [str(error)]}) from None


class TrendsView(ThrottleFirst, APIView):
    @extend_schema(tags=["trends"], parameters=PERIOD_PARAMETERS, responses={200: payloads.TRENDS})
    def get(self, request: Request) -> Response:
        """The numbers behind /trends/, computed by the same code (default range: 90 days)."""
        return Response(
            trend_numbers.trends_for(request.user, _period(request, trend_numbers.DEFAULT_RANGE))
        )


class InsightsView(ThrottleFirst, APIView):
    @extend_schema(
        tags=["insights"], parameters=PERIOD_PARAMETERS, responses={200: payloads.INSIGHTS}
    )
    def get(self, request: Request) -> Response:
        """The same answers as /insights.json (default range: all time)."""
        period = _period(request, "all")
        findings = insight_answers.findings_for(request.user, period)
        return Response(
            {
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
                "findings": insight_answers.public_findings(findings),
            }
        )


def _signed_in_through_the_site(request: Request) -> bool:
    return request.auth is None  # a session cookie, not a token


_TEXT = {"type": "string"}
_DAY = {"type": "string", "format": "date"}
_MOMENT = {"type": "string", "format": "date-time"}


def _nullable(schema: dict) -> dict:
    return {**schema, "nullable": True}


def _object(properties: dict) -> dict:
    return {"type": "object", "properties": properties, "required": list(properties)}


def _list_of(properties: dict) -> dict:
    return {"type": "array", "items": _object(properties)}


_NAMES = {"type": "array", "items": _TEXT}
_SCORE = _nullable({"type": "integer"})
EXPORT = _object(
    {
        "format": {"type": "string", "enum": [data_rights.FORMAT]},
        "version": {"type": "integer", "enum": [data_rights.VERSION]},
        "exported_at": _MOMENT,
        "profile": _object(
            {
                "email": _TEXT,
                "display_name": _TEXT,
                "time_zone": _TEXT,
                "conditions": {**_NAMES, "description": "Slugs from /api/v1/conditions/."},
                "other_condition": _TEXT,
                "discreet_mode": {"type": "boolean"},
                "idle_timeout_minutes": {"type": "integer"},
                "date_joined": _MOMENT,
                "consent_given_at": _nullable(_MOMENT),
                "consent_version": _TEXT,
            }
        ),
        "symptoms": {**_list_of({"name": _TEXT}), "description": "Your own symptoms."},
        "medications": _list_of(
            {
                "name": _TEXT,
                "dose": _TEXT,
                "started": _DAY,
                "stopped": _nullable(_DAY),
                "note": _TEXT,
                "created_at": _MOMENT,
                "updated_at": _MOMENT,
            }
        ),
        "api_tokens": {
            **_list_of(
                {
                    "name": _TEXT,
                    "created": _MOMENT,
                    "expiry": _nullable(_MOMENT),
                    "last_used": _nullable(_MOMENT),
                }
            ),
            "description": "Names and dates only: Hearth never keeps a token's secret.",
        },
        "security_activity": _list_of({"kind": _TEXT, "device": _TEXT, "created_at": _MOMENT}),
        "days": {
            **_list_of(
                {
                    "day": _DAY,
                    "sexual_activity": _nullable(_TEXT),
                    "intensity": _nullable(_TEXT),
                    "satisfaction": _SCORE,
                    "discomfort": _SCORE,
                    "intimacy_barriers": _NAMES,
                    "physical_affection": _nullable({"type": "boolean"}),
                    "libido": _SCORE,
                    "stress": _SCORE,
                    "sleep_hours": _nullable({"type": "number"}),
                    "sleep_quality": _SCORE,
                    "fatigue": _SCORE,
                    "flare_severity": _SCORE,
                    "symptoms": _NAMES,
                    "notes": _TEXT,
                    "created_at": _MOMENT,
                    "updated_at": _MOMENT,
                }
            ),
            "description": "Every logged day, oldest first, with the fields of /api/v1/entries/.",
        },
    }
)


class ExportView(ThrottleFirst, APIView):
    @extend_schema(tags=["export"], responses={200: EXPORT})
    @method_decorator(reauthentication_required(enabled=_signed_in_through_the_site))
    def get(self, request: Request) -> StreamingHttpResponse:
        """Everything you stored, as the JSON download of /account/data/ (streamed). Hearth's
        own import reads it back. A browser session must have confirmed the password within
        the last few minutes, as the page asks; a token needs nothing more."""
        security.record(request, request.user, SecurityEvent.Kind.EXPORT)
        return data_rights.export_response(request.user, "json")

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, ReauthenticationRequired):
            exc = PermissionDenied(
                "Exporting from a signed-in browser needs your password again: confirm it on "
                "/account/data/ first, or use an API token."
            )
        return super().handle_exception(exc)


class ApiDocsView(SpectacularSwaggerSplitView):
    """The API's documentation page (Swagger UI): a page, not an API endpoint, so any method but
    GET and HEAD answers 405. DRF would answer OPTIONS with its metadata through the page's
    HTML renderer, which has no template for that."""

    http_method_names = ["get", "head"]


@csrf_exempt  # a JSON 404 for any method, like the API's own views (DRF exempts them)
def not_found(request: HttpRequest, *args, **kwargs) -> JsonResponse:
    """Any other address under /api/v1/: a JSON 404 rather than the site's HTML page."""
    return JsonResponse(
        error_body({"detail": "No such API address. Addresses end with a slash."}), status=404
    )
