"""Rate limits: tiers, identities, 429 shapes, fail-closed/open, both counter stores."""

import logging
import os
import uuid

import pytest
from django.db import connection
from django.test import Client

from forecourt.core.config import Rate, parse_rate
from forecourt.core.observability import alerts
from forecourt.core.security import ratelimit
from forecourt.core.security.models import RateLimitCounter
from forecourt.core.testing import TEST_PASSWORD, bearer

REDIS_URL = os.environ.get("REDIS_URL")
UNREACHABLE_REDIS = "redis://127.0.0.1:8119/0"  # a port of ours where nothing listens


def _redis_reachable() -> bool:
    if not REDIS_URL:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


STORES = [
    "database",
    pytest.param(
        "redis",
        marks=pytest.mark.skipif(not _redis_reachable(), reason="REDIS_URL not set or down"),
    ),
]


@pytest.fixture(params=STORES)
def limits(request, settings, db):
    """Rate limiting on, with a fresh key prefix, counting in the store under test.

    Tests set `limits.set(tier, Rate(...), ...)`; every tier not set is effectively unlimited.
    """
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMIT_KEY_PREFIX = f"test:{uuid.uuid4().hex}"
    settings.RATE_LIMIT_REDIS_URL = REDIS_URL if request.param == "redis" else None
    settings.RATE_LIMITS = {tier: [Rate(10_000, 3600)] for tier in settings.RATE_LIMITS}

    class Limits:
        store = request.param

        @staticmethod
        def set(tier, *rates):
            settings.RATE_LIMITS = {**settings.RATE_LIMITS, tier: list(rates)}

    return Limits()


def statuses(responses):
    return [r.status_code for r in responses]


def test_rates_parse_and_malformed_rates_are_refused():
    assert parse_rate("300/minute") == Rate(300, 60)
    assert parse_rate("10 / 15 minutes") == Rate(10, 900)
    assert parse_rate("20000/day") == Rate(20000, 86400)
    assert parse_rate("5/Second") == Rate(5, 1)
    for bad in ("300", "0/minute", "ten/minute", "5/fortnight", "5/0minutes", ""):
        with pytest.raises(ValueError, match=r"not a rate|multiplier"):
            parse_rate(bad)


def test_global_limit_per_ip_answers_429_with_retry_after_and_a_plain_page(limits):
    limits.set("global", Rate(3, 60))
    client = Client()
    responses = [client.get("/accounts/login/") for _ in range(5)]
    assert statuses(responses) == [200, 200, 200, 429, 429]
    refused = responses[3]
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["Content-Type"].startswith("text/html")
    assert b"Too many requests" in refused.content
    assert refused["X-Request-ID"].encode() in refused.content
    assert "frame-ancestors 'none'" in refused["Content-Security-Policy"]


def test_global_limit_on_the_api_uses_the_error_shape(limits):
    limits.set("global", Rate(1, 60))
    client = Client()
    assert client.get("/api/v1/me").status_code == 401
    refused = client.get("/api/v1/me")
    assert refused.status_code == 429
    body = refused.json()
    assert body["error"]["code"] == "rate_limited"
    assert body["error"]["request_id"] == refused["X-Request-ID"]
    assert int(refused["Retry-After"]) >= 1


def test_health_endpoints_are_exempt_from_the_global_limit(limits):
    limits.set("global", Rate(1, 60))
    client = Client()
    assert statuses([client.get("/health/live") for _ in range(5)]) == [200] * 5


def test_spoofed_forwarded_for_does_not_evade_the_limit(limits, settings):
    settings.FORECOURT_TRUSTED_PROXY_HOPS = 0
    limits.set("global", Rate(2, 60))
    client = Client()
    responses = [
        client.get("/accounts/login/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}") for n in range(4)
    ]
    assert statuses(responses) == [200, 200, 429, 429]


def test_behind_a_trusted_proxy_each_client_has_its_own_count(limits, settings):
    settings.FORECOURT_TRUSTED_PROXY_HOPS = 1
    limits.set("global", Rate(1, 60))
    client = Client()
    first = client.get("/accounts/login/", HTTP_X_FORWARDED_FOR="198.51.100.1")
    other = client.get("/accounts/login/", HTTP_X_FORWARDED_FOR="198.51.100.2")
    again = client.get("/accounts/login/", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.1")
    assert statuses([first, other, again]) == [200, 200, 429]


def test_auth_tier_counts_sign_in_attempts_not_page_views(limits, owner):
    limits.set("auth", Rate(2, 60))
    client = Client()
    assert statuses([client.get("/accounts/login/") for _ in range(4)]) == [200] * 4
    attempts = [
        client.post("/accounts/login/", {"username": owner.email, "password": "wrong-password"})
        for _ in range(3)
    ]
    assert [s == 429 for s in statuses(attempts)] == [False, False, True]
    # Even the right password is refused until the window passes.
    right = client.post("/accounts/login/", {"username": owner.email, "password": TEST_PASSWORD})
    assert right.status_code == 429


def test_api_limit_is_per_token_with_a_daily_quota(limits, owner, salesperson, token_for):
    limits.set("api", Rate(100, 60), Rate(2, 86400))
    client = Client()
    mine, theirs = token_for(owner), token_for(salesperson)
    mine_statuses = statuses([client.get("/api/v1/me", **bearer(mine)) for _ in range(3)])
    assert mine_statuses == [200, 200, 429]
    refused = client.get("/api/v1/me", **bearer(mine))
    assert int(refused["Retry-After"]) > 60  # the daily window, not the minute
    assert client.get("/api/v1/me", **bearer(theirs)).status_code == 200


def test_api_limit_counts_a_session_user_by_user(limits, owner, client_for):
    limits.set("api", Rate(2, 60))
    first, second = client_for(owner), client_for(owner)  # two browsers, one user
    assert statuses([first.get("/api/v1/me"), second.get("/api/v1/me")]) == [200, 200]
    assert second.get("/api/v1/me").status_code == 429


@pytest.mark.urls("forecourt.core.security.tests.ratelimit_urls")
def test_expensive_decorator_limits_views_and_api_operations_per_user(
    limits, owner, salesperson, client_for
):
    limits.set("expensive", Rate(2, 3600))
    client = client_for(owner)
    assert statuses([client.get("/test-export/") for _ in range(3)]) == [200, 200, 429]
    # The API operation shares the tier and the user's count.
    refused = client.post("/api/test/export?year=2026")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    # Another user has a count of their own; the operation still validates and runs.
    other = client_for(salesperson)
    assert other.post("/api/test/export?year=2026").json() == {"year": 2026}
    assert other.post("/api/test/export?year=oops").status_code == 422


def test_decorator_refuses_an_unknown_tier_at_import_time():
    with pytest.raises(KeyError, match="Unknown rate-limit tier"):
        ratelimit.rate_limited("no-such-tier")


def test_counts_are_exact_and_windows_expire(limits):
    limits.set("expensive", Rate(3, 60))
    start = 1_800_000_000.0  # a window boundary (divisible by 60)
    decisions = [ratelimit.hit("expensive", "user:1", now=start + 1) for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert decisions[3].count == 4
    assert decisions[3].retry_after == 59
    assert ratelimit.hit("expensive", "user:1", now=start + 61).allowed  # next window


def test_several_tiers_count_in_order_and_the_first_refusal_wins(limits):
    limits.set("global", Rate(2, 60))
    limits.set("api", Rate(100, 60), Rate(1, 86400))
    start = 1_800_000_000.0
    both = [("global", "ip:192.0.2.9"), ("api", "token:abc")]
    first = ratelimit.hit_tiers(both, now=start)
    second = ratelimit.hit_tiers(both, now=start + 1)  # the api tier's day quota is spent
    third = ratelimit.hit_tiers(both, now=start + 2)  # now the global minute is too
    assert first.allowed
    assert (second.allowed, second.tier, second.limit, second.count) == (False, "api", 1, 2)
    assert second.retry_after > 60
    assert (third.allowed, third.tier, third.count) == (False, "global", 3)
    # The global refusal stopped there: the api windows were not counted a third time.
    assert ratelimit.hit("api", "token:abc", now=start + 3).count == 3


def test_a_bearer_api_request_costs_one_store_round_trip(
    limits, settings, owner, token_for, monkeypatch
):
    limits.set("api", Rate(100, 60), Rate(1000, 86400))
    raw = token_for(owner)
    calls = []
    store = ratelimit.get_store()
    real = store.hit_many
    monkeypatch.setattr(
        type(store), "hit_many", lambda self, windows: calls.append(windows) or real(windows)
    )
    assert Client().get("/api/v1/me", **bearer(raw)).status_code == 200
    assert len(calls) == 1
    prefix = settings.RATE_LIMIT_KEY_PREFIX
    tiers = [w.key.removeprefix(prefix + ":").split(":")[0] for w in calls[0]]
    assert tiers == ["global", "api", "api"]


def test_database_store_upserts_one_row_per_window(limits):
    if limits.store != "database":
        pytest.skip("database store only")
    store = ratelimit.DatabaseStore()
    assert [store.hit("k:one", 60) for _ in range(3)] == [1, 2, 3]
    row = RateLimitCounter.objects.get(key="k:one")
    assert row.count == 3


def test_redis_down_fails_closed_for_auth_and_open_for_the_rest(
    limits, settings, owner, caplog, monkeypatch
):
    settings.RATE_LIMIT_REDIS_URL = UNREACHABLE_REDIS
    monkeypatch.setattr(ratelimit, "_last_alert", {})
    # The alert service itself is tested by monitoring; here: which alerts are raised.
    raised = []
    monkeypatch.setattr(
        alerts, "send_alert", lambda level, title, details, **kw: raised.append((level, title))
    )
    limits.set("global", Rate(1, 60))
    limits.set("auth", Rate(100, 60))
    client = Client()
    with caplog.at_level(logging.ERROR, logger="forecourt.security"):
        pages = [client.get("/accounts/login/") for _ in range(3)]
        attempt = client.post("/accounts/login/", {"username": owner.email, "password": "x"})
    assert statuses(pages) == [200, 200, 200]  # open: limit 1 not enforced without a store
    assert attempt.status_code == 503
    assert int(attempt["Retry-After"]) > 0
    assert any("fails closed" in r.getMessage() for r in caplog.records)
    assert any("fails open" in r.getMessage() for r in caplog.records)
    # One operator alert per tier (not one per request).
    assert sorted(raised) == [
        ("critical", "Rate-limit store unavailable"),
        ("error", "Rate-limit store unavailable"),
    ]


def test_database_store_down_fails_closed_for_auth(limits):
    if limits.store != "database":
        pytest.skip("database store only")
    # The table disappears inside the test's transaction (rolled back afterwards); the
    # store's savepoint keeps that transaction usable after the failed upsert.
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE security_ratelimitcounter RENAME TO ratelimit_away")
    try:
        decision = ratelimit.hit("auth", "ip:192.0.2.1")
        assert not decision.allowed
        assert decision.store_down
        assert ratelimit.hit("global", "ip:192.0.2.1").allowed
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE ratelimit_away RENAME TO security_ratelimitcounter")


def test_limits_are_off_when_disabled(limits, settings):
    settings.RATE_LIMITS_ENABLED = False
    limits.set("global", Rate(1, 60))
    client = Client()
    assert statuses([client.get("/accounts/login/") for _ in range(3)]) == [200] * 3


def test_oversized_requests_are_refused_before_reading_the_body(settings, client_for, owner):
    settings.FORECOURT_MAX_UPLOAD_BYTES = 2048
    client = client_for(owner)
    page = client.post("/accounts/users/new/", {"email": "x" * 4000})
    assert page.status_code == 413
    api = client.post("/api/v1/tokens", "x" * 4000, content_type="application/json")
    assert api.status_code == 413
    assert api.json()["error"]["code"] == "payload_too_large"
