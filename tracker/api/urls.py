from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from accounts.api import MeView
from tracker.api import views

app_name = "api"

router = SimpleRouter()
router.register("entries", views.EntryViewSet, basename="entry")
router.register("symptoms", views.SymptomViewSet, basename="symptom")
router.register("medications", views.MedicationViewSet, basename="medication")
router.register("conditions", views.ConditionViewSet, basename="condition")

urlpatterns = [
    *router.urls,
    path("me/", MeView.as_view(), name="me"),
    path("trends/", views.TrendsView.as_view(), name="trends"),
    path("insights/", views.InsightsView.as_view(), name="insights"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"", views.not_found),
]
