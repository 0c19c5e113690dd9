"""Every URL in one place: one hop from a URL to the app that serves it."""

from django.urls import URLPattern, URLResolver, include, path

from forecourt.api import api
from forecourt.core.observability.views import metrics_view


def _public(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """The API authenticates itself (token or session) and answers 401, never a redirect."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _public(pattern.url_patterns)
        else:
            pattern.callback.login_required = False  # type: ignore[attr-defined]
    return patterns


api_patterns, api_app_name, api_namespace = api.urls

urlpatterns = [
    path("api/v1/", include((_public(api_patterns), api_app_name), namespace=api_namespace)),
    path("accounts/", include("forecourt.accounts.urls")),
    path("inventory/", include("forecourt.inventory.urls")),
    path("customers/", include("forecourt.customers.urls")),
    path("leads/", include("forecourt.leads.urls")),
    path("purchasing/", include("forecourt.purchasing.urls")),
    path("deals/", include("forecourt.deals.urls")),
    path("finance/", include("forecourt.finance.urls")),
    path("security/", include("forecourt.core.security.urls")),
    path("system/", include("forecourt.core.observability.urls")),
    path("metrics", metrics_view, name="metrics"),  # Prometheus; token or IP allowlist
    path("backups/", include("forecourt.core.backups.urls")),
    path("", include("forecourt.core.urls")),
]

handler403 = "forecourt.core.views.permission_denied"
handler404 = "forecourt.core.views.page_not_found"
handler500 = "forecourt.core.views.server_error"
