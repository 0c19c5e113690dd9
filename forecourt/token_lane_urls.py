"""URLs of the API-token lane (forecourt/core/lanes.py): the hot reads' lean views, then
every route of forecourt/urls.py. The lean views have the same paths and route names as
the ninja operations they stand in for, and hand them every request but the plain case."""

from django.urls import include, path

from forecourt import urls
from forecourt.inventory.api import token_lane_urlpatterns as inventory_lean_reads

urlpatterns = [
    path("api/v1/", include((inventory_lean_reads, "api"), namespace="api")),
    *urls.urlpatterns,
]

handler403 = urls.handler403
handler404 = urls.handler404
handler500 = urls.handler500
