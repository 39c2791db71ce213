from django.urls import path, re_path

from tracker import views

app_name = "tracker"

urlpatterns = [
    path("log/", views.log_today, name="log_today"),
    re_path(r"^log/(?P<day>\d{4}-\d{2}-\d{2})/$", views.log_day, name="log_day"),
    re_path(r"^log/(?P<day>\d{4}-\d{2}-\d{2})/delete/$", views.delete_day, name="delete_day"),
    path("history/", views.history, name="history"),
    path("trends/", views.trends, name="trends"),
    path("trends/table/<slug:measure>/", views.trends_table, name="trends_table"),
    path("report/", views.report, name="report"),
    path("insights/", views.insights, name="insights"),
    path("week/", views.week, name="week"),
    # Any text: the page itself explains an address that names no week, or one not begun yet.
    path("week/<str:week>/", views.week_of, name="week_of"),
    path("medications/", views.medications, name="medications"),
    path("medications/<int:medication_id>/", views.edit_medication, name="edit_medication"),
    path(
        "medications/<int:medication_id>/delete/",
        views.delete_medication,
        name="delete_medication",
    ),
    path("symptoms/", views.symptoms, name="symptoms"),
    path("symptoms/<int:symptom_id>/delete/", views.delete_symptom, name="delete_symptom"),
]
