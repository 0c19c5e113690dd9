from django.urls import URLPattern, path

from forecourt.inventory import views
from forecourt.inventory.imports import urls as imports_urls
from forecourt.inventory.media import urls as media_urls

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
    *media_urls.urlpatterns,
    *imports_urls.urlpatterns,
]
