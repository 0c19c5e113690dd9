"""Readiness checks for the worker, disks and backups; the status and security pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from forecourt.core.observability.heartbeat import record_worker_heartbeat
from forecourt.core.observability.models import Alert, SecurityEvent, WorkerHeartbeat

pytestmark = pytest.mark.django_db
DB_TASKS = {
    "default": {
        "BACKEND": "forecourt.core.observability.tasking.TracedDatabaseBackend",
        "QUEUES": ["default", "alerts", "maintenance"],
    }
}


@pytest.fixture(autouse=True)
def _metrics_token(tune):
    tune(metrics_token="status-test-token")


def _ready():
    response = Client().get("/health/ready", HTTP_AUTHORIZATION="Bearer status-test-token")
    return response.status_code, response.json()["checks"]


def test_ready_includes_queue_disk_and_backup_checks():
    status, checks = _ready()
    assert status == 200
    assert {"task_queue", "disk_space", "backup_age"} <= set(checks)
    assert checks["task_queue"]["detail"] == "tasks run in-process (no worker needed)"
    assert "media" in checks["disk_space"]["detail"]


def test_worker_heartbeat_must_be_recent(settings):
    settings.TASKS = DB_TASKS
    settings.FORECOURT_ENV = "development"
    status, checks = _ready()
    assert status == 200  # development: no worker yet is fine, and says so
    assert "no task worker seen yet" in checks["task_queue"]["detail"]

    settings.FORECOURT_ENV = "production"
    status, checks = _ready()
    assert status == 503
    assert "no task worker has ever reported" in checks["task_queue"]["error"]

    record_worker_heartbeat("worker-a")
    status, checks = _ready()
    assert checks["task_queue"]["status"] == "ok"
    assert checks["task_queue"]["detail"].startswith("worker heartbeat")

    WorkerHeartbeat.objects.update(last_seen=timezone.now() - timedelta(minutes=10))
    status, checks = _ready()
    assert (status, checks["task_queue"]["status"]) == (503, "fail")
    assert "last worker heartbeat" in checks["task_queue"]["error"]


def test_failing_readiness_raises_one_alert(settings, tune):
    tune(disk_free_min_percent=100.0)  # no disk is ever 100% free
    status, checks = _ready()
    assert status == 503
    assert "low disk space" in checks["disk_space"]["error"]
    _ready()
    [alert] = Alert.objects.all()
    assert alert.title == "Readiness check failed: disk_space"
    assert alert.level == "error"


def test_backup_age_once_backups_exist(settings, tune):
    from django.apps import apps

    record = apps.get_model("backups", "BackupRecord")
    settings.FORECOURT_ENV = "production"
    _, checks = _ready()
    assert checks["backup_age"]["status"] == "fail"
    assert "no successful backup" in checks["backup_age"]["error"]

    now = timezone.now()
    record.objects.create(
        name="old",
        status="succeeded",
        started_at=now - timedelta(hours=31),
        finished_at=now - timedelta(hours=30),
    )
    _, checks = _ready()
    assert "last successful backup 31.0h ago" in checks["backup_age"]["error"]  # data age

    record.objects.create(
        name="new",
        status="succeeded",
        started_at=now - timedelta(hours=2),
        finished_at=now - timedelta(hours=1),
    )
    record.objects.create(name="broken", status="failed", started_at=now, finished_at=now)
    _, checks = _ready()
    assert checks["backup_age"]["status"] == "ok"


def test_live_stays_dependency_free(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert Client().get("/health/live").status_code == 200


def test_heartbeat_triggers_the_resource_sample(tune):
    from forecourt.core.observability.models import ResourceSample

    tune(rss_warn_mb=1)  # every process uses more than 1 MB
    record_worker_heartbeat("worker-b")
    sample = ResourceSample.objects.get()
    assert sample.values["process"]["rss_bytes"] > 0
    assert "media" in sample.values["disks"]
    alert = Alert.objects.get(title="Resource thresholds exceeded")
    assert any(b.startswith("memory") for b in alert.details["breaches"])

    record_worker_heartbeat("worker-b")  # within the minute: no second sample run
    assert Alert.objects.count() == 1


def test_status_page_for_admins_only(client_for, owner, salesperson):
    Alert.objects.create(level="error", title="Unhandled ValueError in boom", dedup_key="k")
    response = client_for(owner).get("/system/")
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "System status",
        "Health checks",
        "task_queue",
        "Last backup",
        "Task queue",
        "This process",
        "Disks",
        "Unhandled ValueError in boom",
    ):
        assert text in page
    assert client_for(salesperson).get("/system/").status_code == 403


def test_nav_shows_system_status_to_admins(client_for, owner, salesperson):
    assert 'href="/system/"' in client_for(owner).get("/").content.decode()
    assert 'href="/system/"' not in client_for(salesperson).get("/").content.decode()


def test_security_events_page_searches(client_for, owner, salesperson):
    SecurityEvent.objects.create(
        kind="bulk_read",
        user=salesperson,
        user_label=salesperson.email,
        ip_address="192.0.2.1",
        details={"records": 600},
    )
    SecurityEvent.objects.create(
        kind="client_error_burst", ip_address="192.0.2.99", request_id="req-scan-1"
    )
    client = client_for(owner)

    page = client.get("/system/security-events/?kind=bulk_read").content.decode()
    assert salesperson.email in page
    assert "192.0.2.99" not in page
    page = client.get("/system/security-events/?q=192.0.2.99").content.decode()
    assert "client_error_burst" in page
    assert salesperson.email not in page
    page = client.get("/system/security-events/?q=req-scan-1").content.decode()
    assert "192.0.2.99" in page
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    page = client.get(f"/system/security-events/?from={tomorrow}").content.decode()
    assert "No security events match" in page
    assert client_for(salesperson).get("/system/security-events/").status_code == 403
