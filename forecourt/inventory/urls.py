from django.urls import URLPattern, path

from forecourt.inventory import views

app_name = "inventory"

urlpatterns: list[URLPattern] = [
    path("", views.vehicle_list, name="vehicle-list"),
    path("bulk/", views.vehicle_bulk, name="vehicle-bulk"),
    path("receive/", views.vehicle_receive, name="vehicle-receive"),
    path("<int:pk>/", views.vehicle_detail, name="vehicle-detail"),
    path("<int:pk>/edit/", views.vehicle_edit, name="vehicle-edit"),
    path("<int:pk>/price/", views.vehicle_price, name="vehicle-price"),
    path("<int:pk>/status/", views.vehicle_status, name="vehicle-status"),
    path("<int:pk>/hold/", views.vehicle_hold, name="vehicle-hold"),
    path("<int:pk>/release/", views.vehicle_release, name="vehicle-release"),
    path("<int:pk>/costs/", views.vehicle_cost, name="vehicle-cost"),
]

# invb's pages: documents, photos, CSV import/export (forecourt/inventory/urls_exchange.py).
from forecourt.inventory.urls_exchange import urlpatterns as exchange_urlpatterns  # noqa: E402

urlpatterns += exchange_urlpatterns
