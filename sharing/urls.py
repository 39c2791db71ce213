from django.urls import path

from sharing import views

app_name = "sharing"

urlpatterns = [
    path("", views.share, name="share"),
    path("<int:pk>/revoke/", views.revoke, name="revoke"),
]
