"""/api/v1/trends/ and /api/v1/insights/: the numbers behind the pages, computed by the same
code."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.middleware import shows_health_data
from api import payloads
from api.base import ApiBase, day_query
from config.routers import reads_from_replica
from tracker import insights as insight_answers
from tracker.trends.periods import DEFAULT_RANGE, RANGES, Period, PeriodError, resolve_period
from tracker.trends.series import trends_for

PERIOD_PARAMETERS = [
    OpenApiParameter(
        "range",
        OpenApiTypes.STR,
        enum=[*RANGES, "all"],
        description="A range ending today. Ignored when start or end is given.",
    ),
    day_query("start", "First day (give end too)."),
    day_query("end", "Last day (cut off at today)."),
]


def _period(request: Request, default: str) -> Period:
    try:
        return resolve_period(request.query_params, request.user, default=default)
    except PeriodError as error:
        raise serializers.ValidationError({"range": [str(error)]}) from None


@shows_health_data
@reads_from_replica
class TrendsView(ApiBase, APIView):
    @extend_schema(tags=["trends"], parameters=PERIOD_PARAMETERS, responses={200: payloads.TRENDS})
    def get(self, request: Request) -> Response:
        """The numbers behind /trends/, computed by the same code (default range: 90 days)."""
        return Response(trends_for(request.user, _period(request, DEFAULT_RANGE)))


@shows_health_data
@reads_from_replica
class InsightsView(ApiBase, APIView):
    @extend_schema(
        tags=["insights"], parameters=PERIOD_PARAMETERS, responses={200: payloads.INSIGHTS}
    )
    def get(self, request: Request) -> Response:
        """The answers of the /insights/ page, computed by the same code (default range: all
        time)."""
        period = _period(request, "all")
        findings = insight_answers.findings_for(request.user, period)
        return Response(
            {
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
                "findings": insight_answers.public_findings(findings),
            }
        )
