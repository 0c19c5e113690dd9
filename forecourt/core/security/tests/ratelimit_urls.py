"""A URLconf for the rate-limit tests: the decorator on a plain view and on a ninja operation."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from ninja import NinjaAPI

from forecourt.core.security.ratelimit import rate_limited
from forecourt.urls import urlpatterns as project_patterns


@rate_limited("expensive")
def export_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("exported")


api = NinjaAPI(urls_namespace="ratelimit-test-api")


@api.post("/export")
@rate_limited("expensive")
def export_operation(request: HttpRequest, year: int) -> dict[str, int]:
    return {"year": year}


urlpatterns = [
    path("test-export/", export_view, name="test-export"),
    path("api/test/", api.urls),
    *project_patterns,
]
