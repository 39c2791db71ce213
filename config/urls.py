from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config import views

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("account/", include("accounts.urls")),
    path("api/v1/", include("tracker.api.urls")),
    path("", include("tracker.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]

# A database outage met outside a view (in a middleware) still answers 503, not 500.
handler500 = "config.views.server_error"
