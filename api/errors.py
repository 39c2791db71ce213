"""How the API answers when it refuses, and how every refusal is documented.

Every error has one shape, config.errors.error_body's:
`{"errors": {"<field>": ["message", ...]}}`.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config.errors import error_body

WRITES = {"POST", "PUT", "PATCH"}
# Writes to one day that can be made conditional with If-Match (optimistic concurrency).
CONDITIONAL = {"PUT", "PATCH", "DELETE"}


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = (
        "This day changed since you read it, so nothing was changed. GET it again for the "
        "current answers and ETag, then send your change with that ETag in If-Match."
    )
    default_code = "precondition_failed"


class ErrorSerializer(serializers.Serializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages keyed by field name, `non_field_errors`, or `detail` when the error "
        "is about the request as a whole.",
    )


def exception_handler(exc: Exception, context: dict) -> Response | None:
    response = drf_exception_handler(exc, context)
    if response is not None:
        response.data = error_body(response.data)
    return response


ERRORS = {
    "400": "The input was refused; each message is keyed by the field it is about.",
    "401": "No valid credentials: send `Authorization: Bearer <token>`, or sign in.",
    "403": "Refused, for example a signed-in browser request without its CSRF token.",
    "404": "Not found, or not yours: another person's records answer exactly like missing ones.",
    "412": "The day changed since the ETag sent in `If-Match`; nothing was changed.",
    "415": "The body must be JSON (`Content-Type: application/json`).",
    "429": "Too many requests: wait the number of seconds in `Retry-After`.",
}


class HearthAutoSchema(AutoSchema):
    """Adds the error responses each operation can give, all with ErrorSerializer's shape."""

    def get_override_parameters(self) -> list:
        retry_after = OpenApiParameter(
            "Retry-After",
            OpenApiTypes.INT,
            OpenApiParameter.HEADER,
            description="Seconds to wait before trying again.",
            response=[429],
        )
        extra = [retry_after]
        if self.path.endswith("{day}/"):
            extra.append(
                OpenApiParameter(
                    "ETag",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    description="The day's version; send it back in If-Match to change the "
                    "day only if nobody else has changed it since.",
                    response=[200, 201],
                )
            )
            if self.method in CONDITIONAL:
                extra.append(
                    OpenApiParameter(
                        "If-Match",
                        OpenApiTypes.STR,
                        OpenApiParameter.HEADER,
                        description="Optional: the ETag you last read. If the day has changed "
                        "since, the answer is 412 and nothing changes.",
                    )
                )
        return [*super().get_override_parameters(), *extra]

    def get_operation(self, *args, **kwargs) -> dict | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        parameters = {(p["in"], p["name"]) for p in operation.get("parameters", [])}
        filters = {name for where, name in parameters if where == "query"} - {"page"}
        codes = ["401", "403", "429"]
        if self.method in WRITES or filters or ("path", "day") in parameters:
            codes.append("400")
        if ("query", "page") in parameters or any(where == "path" for where, _ in parameters):
            codes.append("404")  # an unknown id, or a page past the end
        if self.method in WRITES:
            codes.append("415")
        if self.method in CONDITIONAL and ("path", "day") in parameters:
            codes.append("412")
        for code in codes:
            response = self._get_response_for_code(ErrorSerializer, code)
            operation["responses"].setdefault(code, {**response, "description": ERRORS[code]})
        operation["responses"] = dict(sorted(operation["responses"].items()))
        return operation
