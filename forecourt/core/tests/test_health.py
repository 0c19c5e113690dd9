import dataclasses

import pytest
from django.test import Client

from forecourt.core import health

METRICS_TOKEN = "health-details-token-0123456789"


@pytest.fixture
def metrics_token(settings):
    settings.MONITORING = dataclasses.replace(settings.MONITORING, metrics_token=METRICS_TOKEN)
    return {"HTTP_AUTHORIZATION": f"Bearer {METRICS_TOKEN}"}


def test_live_needs_nothing():
    response = Client().get("/health/live")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.django_db
def test_ready_reports_each_check_with_latency(metrics_token):
    response = Client().get("/health/ready", **metrics_token)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["migrations"]["status"] == "ok"
    assert all(check["latency_ms"] >= 0 for check in body["checks"].values())


@pytest.mark.django_db
def test_ready_is_503_when_a_check_fails(monkeypatch, metrics_token):
    def broken() -> None:
        raise RuntimeError("database unreachable")

    monkeypatch.setattr(
        health, "readiness_checks", lambda: {"database": broken, "migrations": lambda: None}
    )
    assert Client().get("/health/ready").json() == {"status": "fail"}
    response = Client().get("/health/ready", **metrics_token)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["database"] == {
        "status": "fail",
        "error": "RuntimeError: database unreachable",
        "latency_ms": body["checks"]["database"]["latency_ms"],
    }


@pytest.mark.django_db
def test_cache_check_round_trips_a_value(settings):
    health.check_cache()  # the configured cache (Redis in CI) answers


@pytest.mark.django_db
def test_ready_includes_cache_when_redis_is_configured(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "x"}
    }
    assert "cache" in health.readiness_checks()


@pytest.mark.django_db
def test_pending_migrations_fail_the_check(monkeypatch):
    class Executor:
        def __init__(self, connection):
            self.loader = type("L", (), {"graph": type("G", (), {"leaf_nodes": lambda s: []})()})()

        def migration_plan(self, targets):
            return [("app", "0002")]

    monkeypatch.setattr(health, "MigrationExecutor", Executor)
    with pytest.raises(RuntimeError, match="1 migration"):
        health.check_migrations()


def test_request_id_is_echoed_when_well_formed_and_replaced_otherwise():
    client = Client()
    good = client.get("/health/live", HTTP_X_REQUEST_ID="abc12345-trace")
    assert good["X-Request-ID"] == "abc12345-trace"
    bad = client.get("/health/live", HTTP_X_REQUEST_ID="<script>")
    assert bad["X-Request-ID"] != "<script>"
    assert len(bad["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_anonymous_callers_get_up_or_down_only(metrics_token):
    response = Client().get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    wrong = Client().get("/health/ready", HTTP_AUTHORIZATION="Bearer not-the-metrics-token")
    assert wrong.json() == {"status": "ok"}


@pytest.mark.django_db
def test_details_for_the_metrics_credential_and_status_viewers_only(
    metrics_token, client_for, owner, salesperson
):
    for client, kwargs in ((Client(), metrics_token), (client_for(owner), {})):
        body = client.get("/health/ready", **kwargs).json()
        assert {"status", "version", "checks"} <= set(body)
        assert "disk_space" in body["checks"]
    assert client_for(salesperson).get("/health/ready").json() == {"status": "ok"}


@pytest.mark.django_db
def test_allowed_metrics_addresses_see_details(settings):
    settings.MONITORING = dataclasses.replace(
        settings.MONITORING, metrics_allowed_ips=["10.9.0.0/16"]
    )
    assert "checks" in Client().get("/health/ready", REMOTE_ADDR="10.9.1.2").json()
    assert Client().get("/health/ready", REMOTE_ADDR="10.8.1.2").json() == {"status": "ok"}
