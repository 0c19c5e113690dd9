"""CSV import and export pages; part of the inventory URLs."""

from django.urls import URLPattern, path

from forecourt.inventory.imports import views

urlpatterns: list[URLPattern] = [
    path("imports/", views.import_new, name="import-new"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import-progress"),
    path("export.<str:fmt>", views.export_vehicles, name="export"),
]
