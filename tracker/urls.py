from django.urls import path, re_path

from tracker import views

app_name = "tracker"

urlpatterns = [
    path("log/", views.log_today, name="log_today"),
    re_path(r"^log/(?P<day>\d{4}-\d{2}-\d{2})/$", views.log_day, name="log_day"),
    re_path(r"^log/(?P<day>\d{4}-\d{2}-\d{2})/delete/$", views.delete_day, name="delete_day"),
    path("history/", views.history, name="history"),
    path("symptoms/", views.symptoms, name="symptoms"),
    path("symptoms/<int:symptom_id>/delete/", views.delete_symptom, name="delete_symptom"),
]
