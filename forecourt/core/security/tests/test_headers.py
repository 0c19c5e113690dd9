"""Security headers on every route; CORS only for ALLOWED_ORIGINS; CSRF on unsafe methods."""

import pytest
from django.test import Client

from forecourt.core.security.tests.routes import all_routes, values_for
from forecourt.core.security.tests.world import world as world_fixture

world = world_fixture  # the fixture, under its own name for pytest

ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def assert_security_headers(response, *, signed_in: bool, where: str) -> None:
    for header, value in ALWAYS.items():
        assert response.get(header) == value, f"{where}: {header}={response.get(header)!r}"
    policy = response.get("Permissions-Policy", "")
    assert "camera=()" in policy, where
    assert "geolocation=()" in policy, where
    if response.get("Content-Type", "").startswith("text/html"):
        csp = response.get("Content-Security-Policy", "")
        assert "frame-ancestors 'none'" in csp, f"{where}: {csp!r}"
        assert "unsafe-inline" not in csp, where
        assert "unsafe-eval" not in csp, where
        assert "default-src 'self'" in csp, where
    if signed_in:
        cache = response.get("Cache-Control", "")
        assert "no-store" in cache or "private" in cache, f"{where}: Cache-Control={cache!r}"


def test_every_route_sends_the_security_headers(world, client_for):
    signed_in = client_for(world.owner)
    anonymous = Client()
    routes = all_routes()
    assert len(routes) > 20  # the resolver really was walked
    for route in routes:
        path = route.fill(values_for(route, world.rooftop))
        response = signed_in.get(path)
        assert_security_headers(response, signed_in=True, where=f"GET {path} (owner)")
        response = anonymous.get(path)
        assert_security_headers(response, signed_in=False, where=f"GET {path} (anonymous)")


def test_html_pages_carry_a_fresh_csp_nonce(world, client_for):
    client = client_for(world.owner)
    first = client.get("/")["Content-Security-Policy"]
    second = client.get("/")["Content-Security-Policy"]
    assert "'nonce-" in first
    assert first != second


def test_signed_in_pages_and_api_answers_are_not_stored(world, client_for):
    client = client_for(world.owner)
    assert client.get("/").headers["Cache-Control"] == "no-store"
    assert "no-store" in client.get("/api/v1/me").headers["Cache-Control"]


def test_cors_allows_no_origin_by_default(db):
    response = Client().options(
        "/api/v1/me",
        HTTP_ORIGIN="https://evil.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Origin" not in Client().get(
        "/api/v1/me", HTTP_ORIGIN="https://evil.example"
    )


def test_cors_allows_exactly_the_configured_origins_on_the_api_only(db, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://www.example-motors.com"]
    client = Client()
    allowed = client.options(
        "/api/v1/me",
        HTTP_ORIGIN="https://www.example-motors.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert allowed["Access-Control-Allow-Origin"] == "https://www.example-motors.com"
    assert "Access-Control-Allow-Credentials" not in allowed  # tokens, never cookies
    other = client.options(
        "/api/v1/me",
        HTTP_ORIGIN="https://evil.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert "Access-Control-Allow-Origin" not in other
    page = client.get("/accounts/login/", HTTP_ORIGIN="https://www.example-motors.com")
    assert "Access-Control-Allow-Origin" not in page  # the UI is never cross-origin


@pytest.fixture
def csrf_client(world):
    from forecourt.core.security.testing import pass_mfa

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.owner)
    pass_mfa(client, world.owner)
    return client


def test_ui_unsafe_requests_need_the_csrf_token(world, csrf_client):
    from forecourt.accounts.models import ApiToken

    token = ApiToken.objects.filter(user__rooftops=world.rooftop).first()
    path = f"/accounts/tokens/{token.pk}/revoke/"
    refused = csrf_client.post(path)
    assert refused.status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None
    csrf_client.get("/accounts/tokens/")  # sets the CSRF cookie
    csrf = csrf_client.cookies["csrftoken"].value
    accepted = csrf_client.post(path, HTTP_X_CSRFTOKEN=csrf)
    assert accepted.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_api_unsafe_requests_with_a_session_need_the_csrf_token(world, csrf_client):
    from forecourt.accounts.models import ApiToken

    token = ApiToken.objects.filter(user__rooftops=world.rooftop).first()
    path = f"/api/v1/tokens/{token.pk}/revoke"
    refused = csrf_client.post(path)
    assert refused.status_code in {401, 403}
    token.refresh_from_db()
    assert token.revoked_at is None
    csrf_client.get("/accounts/tokens/")
    csrf = csrf_client.cookies["csrftoken"].value
    accepted = csrf_client.post(path, HTTP_X_CSRFTOKEN=csrf)
    assert accepted.status_code == 200, accepted.content
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_api_token_requests_need_no_csrf_token(world, token_for):
    from forecourt.accounts.models import ApiToken
    from forecourt.core.testing import bearer

    client = Client(enforce_csrf_checks=True)
    raw = token_for(world.owner)
    victim = ApiToken.objects.filter(user__rooftops=world.rooftop).first()
    response = client.post(f"/api/v1/tokens/{victim.pk}/revoke", **bearer(raw))
    assert response.status_code == 200


# --- answers no view rendered (issue 19, finding 9) ------------------------------------------


def _assert_baseline(response, where: str) -> None:
    assert response.get("X-Frame-Options") == "DENY", where
    assert response.get("X-Content-Type-Options") == "nosniff", where
    csp = response.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in csp, f"{where}: {csp!r}"
    assert "unsafe-inline" not in csp, where
    assert "camera=()" in response.get("Permissions-Policy", ""), where


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/api/v1/me"])
def test_the_bad_host_page_carries_the_security_headers(path):
    response = Client().get(path, HTTP_HOST="attacker.example")
    assert response.status_code == 400
    _assert_baseline(response, f"bad Host {path}")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/static/core/forecourt.css", "/static/core/favicon.svg"])
def test_static_files_carry_the_security_headers(path):
    response = Client().get(path)
    assert response.status_code == 200
    _assert_baseline(response, path)
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
