"""/api/v1/entries/: one day's log per day. Each queryset starts from request.user, and writes
set the owner from it, so a client never names a person and another person's days answer 404
like missing ones."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.middleware import shows_health_data
from api.base import ApiBase, day_query
from api.errors import PreconditionFailed
from api.serializers import EntryFilterSerializer, EntrySerializer
from tracker.days import parse_day
from tracker.models import DailyEntry, EmptyDay, StaleEntry

DAY_PARAMETER = OpenApiParameter(
    "day",
    OpenApiTypes.DATE,
    OpenApiParameter.PATH,
    description="A day in your own time zone, from 1900-01-01 to today.",
)


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


def day_in_url(request: Request, value: str) -> datetime.date:
    """The day named in the URL, or a 400 saying why it can't be logged."""
    try:
        return parse_day(value, request.user.today())
    except ValidationError as error:
        raise serializers.ValidationError({"day": error.messages}) from None


@shows_health_data
@extend_schema(tags=["entries"])
class EntryViewSet(ApiBase, viewsets.GenericViewSet):
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
        entry = self._entry(day_in_url(request, day))
        return Response(self.get_serializer(entry).data, headers=etag_header(entry))

    @extend_schema(
        parameters=[DAY_PARAMETER], responses={200: EntrySerializer, 201: EntrySerializer}
    )
    def update(self, request: Request, day: str) -> Response:
        """Create or replace the day: fields left out are saved as not logged. A day with no
        answer at all is refused (400): it would count as logged."""
        return self._save(request, day_in_url(request, day), partial=False)

    @extend_schema(parameters=[DAY_PARAMETER])
    def partial_update(self, request: Request, day: str) -> Response:
        """Change the fields sent and keep the others."""
        return self._save(request, day_in_url(request, day), partial=True)

    @extend_schema(parameters=[DAY_PARAMETER])
    def destroy(self, request: Request, day: str) -> Response:
        entry = self._entry(day_in_url(request, day))
        try:
            DailyEntry.objects.delete_day(
                request.user, entry.day, expected_version(request, entry.day)
            )
        except StaleEntry:
            raise PreconditionFailed() from None
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _save(self, request: Request, day: datetime.date, partial: bool) -> Response:
        # A PATCH merges over the saved day; a PUT replaces it.
        entry = self._entry(day) if partial else None
        serializer = self.get_serializer(entry, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        try:
            saved, created = DailyEntry.objects.save_day(
                request.user, day, serializer.form.entry_values(), expected_version(request, day)
            )
        except EmptyDay as empty:
            raise serializers.ValidationError({"non_field_errors": [str(empty)]}) from None
        except StaleEntry:
            raise PreconditionFailed() from None
        return Response(
            self.get_serializer(saved).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
            headers=etag_header(saved),
        )
