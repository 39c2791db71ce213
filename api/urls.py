from csp.decorators import csp_update
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from api.docs import ApiDocsView, not_found
from api.entries import EntryViewSet
from api.export import ExportView
from api.me import ConditionViewSet, MeView
from api.symptoms import MedicationViewSet, SymptomViewSet
from api.trends import InsightsView, TrendsView

app_name = "api"

router = SimpleRouter()
router.register("entries", EntryViewSet, basename="entry")
router.register("symptoms", SymptomViewSet, basename="symptom")
router.register("medications", MedicationViewSet, basename="medication")
router.register("conditions", ConditionViewSet, basename="condition")

# Swagger UI draws its icons as data: images; this page alone lets them through the CSP.
api_docs = csp_update({"img-src": ["data:"]})(ApiDocsView.as_view(url_name="api:schema"))

urlpatterns = [
    *router.urls,
    path("me/", MeView.as_view(), name="me"),
    path("trends/", TrendsView.as_view(), name="trends"),
    path("insights/", InsightsView.as_view(), name="insights"),
    path("export/", ExportView.as_view(), name="export"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", api_docs, name="docs"),
    re_path(r"", not_found),
]
