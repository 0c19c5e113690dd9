"""Compliance pages (OFAC, legal hold, retention, export), included by customers/urls.py."""

from django.urls import URLPattern, path

from forecourt.customers.compliance import views

urlpatterns: list[URLPattern] = [
    path("<int:pk>/compliance/", views.compliance_panel, name="compliance"),
    path("<int:pk>/compliance/ofac/screen/", views.ofac_screen, name="ofac-screen"),
    path("<int:pk>/compliance/ofac/clear/", views.ofac_clear, name="ofac-clear"),
    path("<int:pk>/compliance/legal-hold/", views.legal_hold_set, name="legal-hold-set"),
    path("<int:pk>/compliance/legal-hold/lift/", views.legal_hold_lift, name="legal-hold-lift"),
    path("<int:pk>/compliance/dispose/", views.dispose, name="dispose"),
    path("<int:pk>/export/<str:fmt>/", views.customer_export, name="customer-export"),
    path("retention/", views.retention_report, name="retention-report"),
    path("retention/export.csv", views.retention_report_export, name="retention-report-export"),
]
