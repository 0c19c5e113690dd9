"""The lead import page, included by leads/urls.py (names in the `leads` namespace)."""

from django.urls import URLPattern, path

from forecourt.leads.imports import views

urlpatterns: list[URLPattern] = [
    path("import/", views.lead_import, name="lead-import"),
]
