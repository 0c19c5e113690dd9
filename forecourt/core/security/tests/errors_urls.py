"""A URLconf whose views fail, to test what a 500 shows (UI and API)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from ninja import NinjaAPI

from forecourt.core.api_errors import install_error_handlers
from forecourt.urls import handler500  # noqa: F401 - the project's 500 page
from forecourt.urls import urlpatterns as project_patterns

SECRET_DETAIL = "SELECT * FROM customers WHERE ssn = '123-45-6789'"


def broken_page(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(SECRET_DETAIL)


api = NinjaAPI(urls_namespace="errors-test-api")
install_error_handlers(api)


@api.get("/broken")
def broken_operation(request: HttpRequest) -> dict[str, str]:
    raise RuntimeError(SECRET_DETAIL)


urlpatterns = [
    path("broken/", broken_page),
    path("api/broken-test/", api.urls),
    *project_patterns,
]
