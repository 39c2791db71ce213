from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from config import views

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", account_views.privacy, name="privacy"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("account/", include("accounts.urls")),
    path("account/", include("portability.urls")),
    path("api/v1/", include("api.urls")),
    path("", include("tracker.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]

# A database outage met outside a view (in a middleware) still answers 503, not 500.
handler500 = "config.views.server_error"
