"""Pages of the customers app: thin adapters over actions.py and scoped reads."""

from django.urls import URLPattern, path

from forecourt.customers import views

app_name = "customers"

urlpatterns: list[URLPattern] = [
    path("", views.customer_list, name="customer-list"),
    path("new/", views.customer_create, name="customer-create"),
    path("<int:pk>/", views.customer_detail, name="customer-detail"),
    path("<int:pk>/edit/", views.customer_edit, name="customer-edit"),
    path("<int:pk>/consent/", views.customer_consent, name="customer-consent"),
    path("<int:pk>/reveal/", views.customer_reveal, name="customer-reveal"),
    path("<int:pk>/merge/", views.customer_merge, name="customer-merge"),
    path("<int:pk>/export/<str:fmt>/", views.customer_export, name="customer-export"),
]

# OFAC screening, legal holds and retention (forecourt/customers/urls_compliance.py).
from forecourt.customers.urls_compliance import urlpatterns as compliance_urlpatterns  # noqa: E402

urlpatterns += compliance_urlpatterns
