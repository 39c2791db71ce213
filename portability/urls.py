from django.urls import path, re_path

from portability import views

app_name = "portability"

urlpatterns = [
    path("data/", views.data, name="data"),
    re_path(r"^data/export\.(?P<kind>json|csv)$", views.export, name="export"),
    path("data/export.fhir.json", views.export_fhir, name="export_fhir"),
    path("data/import/", views.import_data, name="import"),
    path("data/import/preview/", views.import_preview, name="import_preview"),
    path("data/import/<int:pk>/", views.import_job, name="import_job"),
    path("data/import/<int:pk>/status.json", views.import_job_status, name="import_job_status"),
    path("data/import/<int:pk>/preview/", views.import_job_preview, name="import_job_preview"),
    path("delete/", views.delete_account, name="delete"),
    path("deleted/", views.account_deleted, name="deleted"),
]
