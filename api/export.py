"""/api/v1/export/: everything a person stored, as the JSON download of /account/data/, or
(`?format=fhir`, or `Accept: application/fhir+json`) as its FHIR R4 bundle."""

from allauth.account.decorators import reauthentication_required
from django.http import StreamingHttpResponse
from django.utils.decorators import method_decorator
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts import security
from accounts.middleware import shows_health_data
from accounts.models import SecurityEvent
from api.base import ApiBase
from api.errors import ErrorSerializer
from api.serializers import form_errors
from portability import exporting, fhir
from portability.forms import FhirExportForm
from tracker.measures import HEALTH_MEASURES, INTIMATE_MEASURES, MEASURES


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


def _measure(name: str) -> dict:
    """Points on a scale are whole numbers; hours slept come in quarter hours."""
    return _nullable({"type": "number"}) if MEASURES[name].unit == "hours" else _SCORE


EXPORT = _object(
    {
        "format": {"type": "string", "enum": [exporting.FORMAT]},
        "version": {"type": "integer", "enum": [exporting.VERSION]},
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
                    **{name: _measure(name) for name in (*INTIMATE_MEASURES, *HEALTH_MEASURES)},
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


FHIR_BUNDLE = {
    **_object(
        {
            "resourceType": {"type": "string", "enum": ["Bundle"]},
            "id": _TEXT,
            "meta": _object({"lastUpdated": _MOMENT}),
            "type": {"type": "string", "enum": ["collection"]},
            "timestamp": _MOMENT,
            "entry": {
                "type": "array",
                "minItems": 1,
                "items": _object(
                    {
                        "fullUrl": _TEXT,
                        "resource": {
                            "type": "object",
                            "properties": {
                                "resourceType": {
                                    "type": "string",
                                    "enum": [
                                        "Patient",
                                        "Condition",
                                        "MedicationStatement",
                                        "Observation",
                                    ],
                                },
                            },
                            "required": ["resourceType"],
                        },
                    }
                ),
            },
        }
    ),
    "description": "A FHIR R4 (4.0.1) Bundle of type collection: a Patient, a Condition per "
    "condition, a MedicationStatement per medication and an Observation per logged value per "
    "day. Its codes are listed in Hearth's README.",
}
_INCLUDE = [
    OpenApiParameter(
        name,
        bool,
        description=f"With format=fhir: {field.label.lower()} when true, left out otherwise. "
        + field.help_text,
    )
    for name, field in FhirExportForm.base_fields.items()
]


class FhirJSONRenderer(JSONRenderer):
    """Picks the FHIR bundle for `?format=fhir` or `Accept: application/fhir+json`; the bundle
    itself is streamed by portability/fhir.py, so this renders only refusals (401, 403...)."""

    media_type = fhir.CONTENT_TYPE
    format = "fhir"


@shows_health_data
class ExportView(ApiBase, APIView):
    renderer_classes = [JSONRenderer, FhirJSONRenderer]
    reauthentication_message = (
        "Exporting from a signed-in browser needs your password again: confirm it on "
        "/account/data/ first, or use an API token."
    )

    def perform_content_negotiation(self, request: Request, force: bool = False):
        # DRF reads an empty ?format= as none given; the schema offers json and fhir only.
        if not force and request.query_params.get("format") == "":
            raise NotFound("No such format: use json or fhir.")
        return super().perform_content_negotiation(request, force)

    @extend_schema(
        tags=["export"],
        parameters=_INCLUDE,
        responses={
            (200, "application/json"): EXPORT,
            (200, fhir.CONTENT_TYPE): FHIR_BUNDLE,
            404: OpenApiResponse(ErrorSerializer, description="No such format: use json or fhir."),
        },
    )
    @method_decorator(reauthentication_required(enabled=_signed_in_through_the_site))
    def get(self, request: Request) -> StreamingHttpResponse:
        """Everything you stored, as the JSON download of /account/data/ (streamed). Hearth's
        own import reads it back. With `format=fhir`, the FHIR R4 bundle of /account/data/
        instead, for clinical systems: intimacy answers and notes only with
        `include_intimacy=true` and `include_notes=true`. A browser session must have
        confirmed the password within the last few minutes, as the page asks; a token needs
        nothing more."""
        choices = FhirExportForm(request.query_params)
        if not choices.is_valid():
            raise ValidationError(form_errors(choices))
        security.record(request, request.user, SecurityEvent.Kind.EXPORT)
        if request.accepted_renderer.format == FhirJSONRenderer.format:
            return fhir.fhir_response(request.user, **choices.cleaned_data)
        return exporting.export_response(request.user, "json")
