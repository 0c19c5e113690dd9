"""The two middleware lanes of forecourt.wsgi: API-token requests take the lean one, every
other request the full MIDDLEWARE list, and both answer with the same security behaviour."""

from __future__ import annotations

import orjson
import pytest
from django.conf import settings

from forecourt import wsgi
from forecourt.accounts.roles import Role
from forecourt.core.config import Rate
from forecourt.core.lanes import takes_token_lane
from forecourt.core.testing import wsgi_call

SECURITY_HEADERS = {
    "x-request-id",
    "permissions-policy",
    "cache-control",
    "x-content-type-options",
    "referrer-policy",
    "cross-origin-opener-policy",
    "x-frame-options",
    "content-security-policy",
}


@pytest.fixture
def lanes(monkeypatch):
    """Counts which handler of the dispatcher answered."""
    taken: list[str] = []
    dispatcher = wsgi.application
    for name in ("full", "token_lane"):
        handler = getattr(dispatcher, name)

        def spy(environ, start_response, handler=handler, name=name):
            taken.append(name)
            return handler(environ, start_response)

        monkeypatch.setattr(dispatcher, name, spy)
    return taken


@pytest.fixture
def reader(make_user, rooftop, token_for):
    user = make_user(Role.SALESPERSON, rooftops=[rooftop])
    return token_for(user)


def test_the_token_lane_is_the_full_list_minus_the_browser_only_middleware():
    kept = [m for m in settings.MIDDLEWARE if m not in settings.BROWSER_ONLY_MIDDLEWARE]
    swapped = [
        "forecourt.core.lanes.AnonymousUntilTokenMiddleware"
        if m == "django.contrib.auth.middleware.AuthenticationMiddleware"
        else m
        for m in kept
    ]
    assert swapped == settings.API_TOKEN_MIDDLEWARE
    for needed in (
        "forecourt.core.middleware.RequestIdMiddleware",
        "forecourt.core.observability.middleware.RequestLogMiddleware",
        "forecourt.core.security.headers.SecurityHeadersMiddleware",
        "forecourt.core.security.ratelimit.RateLimitMiddleware",
        "corsheaders.middleware.CorsMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "django.middleware.csp.ContentSecurityPolicyMiddleware",
    ):
        assert needed in settings.API_TOKEN_MIDDLEWARE


def test_which_requests_take_the_token_lane():
    api = {"PATH_INFO": "/api/v1/vehicles", "HTTP_AUTHORIZATION": "Bearer fc_x"}
    assert takes_token_lane(api)
    assert takes_token_lane({**api, "HTTP_AUTHORIZATION": "bearer fc_x"})
    assert not takes_token_lane({**api, "HTTP_COOKIE": "sessionid=abc"})
    assert not takes_token_lane({**api, "HTTP_COOKIE": ""})
    assert not takes_token_lane({**api, "HTTP_AUTHORIZATION": "Basic abc"})
    assert not takes_token_lane({"PATH_INFO": "/api/v1/vehicles"})
    assert not takes_token_lane({**api, "PATH_INFO": "/inventory/"})


@pytest.mark.django_db
def test_both_lanes_answer_with_the_same_security_headers(reader, lanes):
    lean = wsgi_call("/api/v1/vehicles", {"Authorization": f"Bearer {reader}"})
    full = wsgi_call(
        "/api/v1/vehicles", {"Authorization": f"Bearer {reader}", "Cookie": "unrelated=1"}
    )
    assert lanes == ["token_lane", "full"]
    assert lean["status"] == full["status"] == 200
    assert set(lean["headers"]) >= SECURITY_HEADERS
    assert set(full["headers"]) >= SECURITY_HEADERS
    for name in SECURITY_HEADERS - {"x-request-id"}:
        assert lean["headers"][name] == full["headers"][name], name
    assert lean["headers"]["cache-control"] == "no-store"
    assert orjson.loads(lean["body"]) == orjson.loads(full["body"])


@pytest.mark.django_db
def test_a_token_request_with_a_cookie_takes_the_full_lane(reader, lanes):
    response = wsgi_call(
        "/api/v1/vehicles", {"Authorization": f"Bearer {reader}", "Cookie": "sessionid=nope"}
    )
    assert response["status"] == 200
    assert lanes == ["full"]


@pytest.mark.django_db
def test_anonymous_and_bad_tokens_are_401_on_both_lanes(lanes):
    bad = wsgi_call("/api/v1/vehicles", {"Authorization": "Bearer fc_not-a-token"})
    nothing = wsgi_call("/api/v1/vehicles")
    assert lanes == ["token_lane", "full"]
    assert bad["status"] == nothing["status"] == 401
    assert (
        orjson.loads(bad["body"])["error"]["code"] == orjson.loads(nothing["body"])["error"]["code"]
    )
    # A write with a bad token and no session: 401 like a read, never the session fallback's
    # CSRF 403 (CSRF is checked only for a signed-in session).
    post = wsgi_call("/api/v1/vehicles", {"Authorization": "Bearer fc_bad"}, method="POST")
    assert post["status"] == 401
    assert orjson.loads(post["body"])["error"]["code"] == "not_authenticated"


@pytest.mark.django_db
def test_rate_limits_apply_on_the_token_lane(reader, settings, lanes):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMIT_KEY_PREFIX = f"test:lanes:{reader[-8:]}"
    settings.RATE_LIMIT_REDIS_URL = None  # the database store: inside the test transaction
    settings.RATE_LIMITS = {
        **{tier: [Rate(10_000, 3600)] for tier in settings.RATE_LIMITS},
        "api": [Rate(2, 60)],
    }
    answers = [
        wsgi_call("/api/v1/vehicles", {"Authorization": f"Bearer {reader}"}) for _ in range(3)
    ]
    assert [a["status"] for a in answers] == [200, 200, 429]
    assert int(answers[2]["headers"]["retry-after"]) > 0
    assert set(lanes) == {"token_lane"}


@pytest.mark.django_db
def test_browser_pages_still_take_the_full_lane(lanes):
    response = wsgi_call("/accounts/login/")
    assert response["status"] == 200
    assert lanes == ["full"]
    assert "csrftoken" in response["headers"].get("set-cookie", "")


def test_the_wsgi_module_freezes_the_start_up_heap():
    import gc

    # forecourt.wsgi (imported above) moved everything start-up built out of the
    # collector's way (docs/performance.md, "Tail latency").
    assert gc.get_freeze_count() > 10_000
