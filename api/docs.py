"""The API's documentation page, and the JSON 404 for any other address under /api/v1/."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularSwaggerSplitView

from config.errors import error_body


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
