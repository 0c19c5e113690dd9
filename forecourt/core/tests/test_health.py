import pytest
from django.test import Client

from forecourt.core import health


def test_live_needs_nothing():
    response = Client().get("/health/live")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.django_db
def test_ready_reports_each_check_with_latency():
    response = Client().get("/health/ready")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["migrations"]["status"] == "ok"
    assert all(check["latency_ms"] >= 0 for check in body["checks"].values())


@pytest.mark.django_db
def test_ready_is_503_when_a_check_fails(monkeypatch):
    def broken() -> None:
        raise RuntimeError("database unreachable")

    monkeypatch.setattr(
        health, "readiness_checks", lambda: {"database": broken, "migrations": lambda: None}
    )
    response = Client().get("/health/ready")
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
