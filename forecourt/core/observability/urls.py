from django.urls import path

from forecourt.core.observability import views

app_name = "observability"

urlpatterns = [
    path("", views.system_status, name="status"),
    path("security-events/", views.security_events, name="security-events"),
]
