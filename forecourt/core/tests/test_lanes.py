"""The two middleware lanes of forecourt.wsgi: API-token requests take the lean one, every
other request the full MIDDLEWARE list, and both answer with the same security behaviour."""

from __future__ import annotations

import io
import sys
from contextlib import contextmanager
from typing import Any

import orjson
import pytest
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from forecourt import wsgi
from forecourt.accounts.roles import Role
from forecourt.core.config import Rate
from forecourt.core.lanes import takes_token_lane

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


@contextmanager
def _no_connection_recycling() -> Any:
    # As Django's test client does: the test's transaction must survive the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def call(path: str, headers: dict[str, str] | None = None, method: str = "GET") -> Any:
    """One request through the production WSGI application (the lane dispatcher)."""
    raw_path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": raw_path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    answer: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]], exc: Any = None):
        answer["status"] = int(status.split()[0])
        answer["headers"] = {k.lower(): v for k, v in response_headers}

    with _no_connection_recycling():
        chunks = wsgi.application(environ, start_response)
        try:
            answer["body"] = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
    return answer


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
    lean = call("/api/v1/vehicles", {"Authorization": f"Bearer {reader}"})
    full = call("/api/v1/vehicles", {"Authorization": f"Bearer {reader}", "Cookie": "unrelated=1"})
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
    response = call(
        "/api/v1/vehicles", {"Authorization": f"Bearer {reader}", "Cookie": "sessionid=nope"}
    )
    assert response["status"] == 200
    assert lanes == ["full"]


@pytest.mark.django_db
def test_anonymous_and_bad_tokens_are_401_on_both_lanes(lanes):
    bad = call("/api/v1/vehicles", {"Authorization": "Bearer fc_not-a-token"})
    nothing = call("/api/v1/vehicles")
    assert lanes == ["token_lane", "full"]
    assert bad["status"] == nothing["status"] == 401
    assert (
        orjson.loads(bad["body"])["error"]["code"] == orjson.loads(nothing["body"])["error"]["code"]
    )
    # A write with a bad token: the session fallback's CSRF check refuses it on both lanes.
    post = call("/api/v1/vehicles", {"Authorization": "Bearer fc_bad"}, method="POST")
    assert post["status"] == 403


@pytest.mark.django_db
def test_rate_limits_apply_on_the_token_lane(reader, settings, lanes):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMIT_KEY_PREFIX = f"test:lanes:{reader[-8:]}"
    settings.RATE_LIMIT_REDIS_URL = None  # the database store: inside the test transaction
    settings.RATE_LIMITS = {
        **{tier: [Rate(10_000, 3600)] for tier in settings.RATE_LIMITS},
        "api": [Rate(2, 60)],
    }
    answers = [call("/api/v1/vehicles", {"Authorization": f"Bearer {reader}"}) for _ in range(3)]
    assert [a["status"] for a in answers] == [200, 200, 429]
    assert int(answers[2]["headers"]["retry-after"]) > 0
    assert set(lanes) == {"token_lane"}


@pytest.mark.django_db
def test_browser_pages_still_take_the_full_lane(lanes):
    response = call("/accounts/login/")
    assert response["status"] == 200
    assert lanes == ["full"]
    assert "csrftoken" in response["headers"].get("set-cookie", "")
