from allauth.account import views as allauth_views
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts import push
from accounts import views as account_views
from config import views
from config.site_data import clears_site_data
from sharing import views as sharing_views
from tracker import pwa

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", account_views.privacy, name="privacy"),
    path("healthz", views.healthz, name="healthz"),
    # Signing out also wipes what the browser keeps for Hearth (the service worker, its shell,
    # days waiting to be sent) and forgets this device's push subscription: the same view as
    # allauth's, under its name, matched first.
    path(
        "accounts/logout/",
        clears_site_data(push.forgets_device_on_sign_out(allauth_views.logout)),
        name="account_logout",
    ),
    path("account/push/subscribe/", push.subscribe, name="push_subscribe"),
    path("account/push/unsubscribe/", push.unsubscribe, name="push_unsubscribe"),
    path("account/push/<int:pk>/remove/", push.remove, name="push_remove"),
    path("accounts/", include("allauth.urls")),
    path("account/", include("accounts.urls")),
    path("account/", include("portability.urls")),
    path("api/v1/", include("api.urls")),
    path("reminders/", include("reminders.urls")),
    path("share/", include("sharing.urls")),
    path("s/<str:secret>/", sharing_views.shared, name="shared"),
    path("manifest.webmanifest", pwa.manifest, name="pwa_manifest"),
    path("sw.js", pwa.service_worker, name="pwa_service_worker"),
    path("offline/", pwa.offline, name="pwa_offline"),
    path("offline/log/", pwa.offline_log, name="pwa_offline_log"),
    path("install/", pwa.install, name="pwa_install"),
    path("", include("tracker.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]

# A database outage met outside a view (in a middleware) still answers 503, not 500.
handler500 = "config.views.server_error"
