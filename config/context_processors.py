"""Values every template may show."""

from django.conf import settings
from django.http import HttpRequest


def support(request: HttpRequest) -> dict[str, str]:
    return {"support_email": settings.SUPPORT_EMAIL}
