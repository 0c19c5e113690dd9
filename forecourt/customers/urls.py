"""Pages of the customers app: thin adapters over actions/ and scoped reads."""

from django.urls import URLPattern, path

from forecourt.customers import views
from forecourt.customers.compliance import urls as compliance_urls

app_name = "customers"

urlpatterns: list[URLPattern] = [
    path("", views.customer_list, name="customer-list"),
    path("new/", views.customer_create, name="customer-create"),
    path("<int:pk>/", views.customer_detail, name="customer-detail"),
    path("<int:pk>/edit/", views.customer_edit, name="customer-edit"),
    path("<int:pk>/consent/", views.customer_consent, name="customer-consent"),
    path("<int:pk>/reveal/", views.customer_reveal, name="customer-reveal"),
    path("<int:pk>/merge/", views.customer_merge, name="customer-merge"),
    # OFAC screening, legal holds, retention and access exports (compliance/urls.py).
    *compliance_urls.urlpatterns,
]
