from csp.decorators import csp_update
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from accounts.api import MeView
from tracker.api import views

app_name = "api"

router = SimpleRouter()
router.register("entries", views.EntryViewSet, basename="entry")
router.register("symptoms", views.SymptomViewSet, basename="symptom")
router.register("medications", views.MedicationViewSet, basename="medication")
router.register("conditions", views.ConditionViewSet, basename="condition")

# Swagger UI draws its icons as data: images; this page alone lets them through the CSP.
api_docs = csp_update({"img-src": ["data:"]})(views.ApiDocsView.as_view(url_name="api:schema"))

urlpatterns = [
    *router.urls,
    path("me/", MeView.as_view(), name="me"),
    path("trends/", views.TrendsView.as_view(), name="trends"),
    path("insights/", views.InsightsView.as_view(), name="insights"),
    path("export/", views.ExportView.as_view(), name="export"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", api_docs, name="docs"),
    re_path(r"", views.not_found),
]
