from django.urls import path

from reminders import views

app_name = "reminders"

urlpatterns = [
    path("stop/<str:purpose>/<str:token>/", views.stop, name="stop"),
    path("not-today/<str:token>/", views.not_today, name="not_today"),
    path("resume/", views.resume, name="resume"),
]
