from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<str:digest>/revoke/", views.revoke_token, name="revoke_token"),
    path("security/", views.security, name="security"),
    path("sessions/end-others/", views.end_other_sessions, name="end_other_sessions"),
    path("sessions/<int:pk>/end/", views.end_session, name="end_session"),
]
