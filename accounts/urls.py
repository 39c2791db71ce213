from django.urls import path, re_path

from accounts import data_views, views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<str:digest>/revoke/", views.revoke_token, name="revoke_token"),
    path("data/", data_views.data, name="data"),
    re_path(r"^data/export\.(?P<kind>json|csv)$", data_views.export, name="export"),
    path("data/import/", data_views.import_data, name="import"),
    path("data/import/<int:pk>/", data_views.import_job, name="import_job"),
    path(
        "data/import/<int:pk>/status.json", data_views.import_job_status, name="import_job_status"
    ),
    path("delete/", data_views.delete_account, name="delete"),
    path("deleted/", data_views.account_deleted, name="deleted"),
    path("security/", views.security, name="security"),
    path("sessions/end-others/", views.end_other_sessions, name="end_other_sessions"),
    path("sessions/<int:pk>/end/", views.end_session, name="end_session"),
]
