"""/metrics: access control, content, and correct sums across worker processes."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from forecourt.core.observability import metrics

pytestmark = pytest.mark.django_db
TOKEN = "metrics-scrape-token-0123456789"


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def _value(text: str, name: str, **labels: str) -> float:
    return _samples(text).get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_need_a_token_or_an_allowed_address(tune):
    tune(metrics_token=TOKEN, metrics_allowed_ips=("10.9.0.0/16",))
    assert Client().get("/metrics").status_code == 401
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    assert Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200
    assert Client(REMOTE_ADDR="10.9.8.7").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="10.10.0.1").get("/metrics").status_code == 401


def test_nothing_configured_means_nobody_reads_metrics():
    assert Client().get("/metrics").status_code == 401


def test_metrics_cover_requests_logins_rate_limits_and_the_system(tune, salesperson):
    tune(metrics_token=TOKEN)
    client = Client()
    before = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    client.get("/health/live")
    client.post("/accounts/login/", {"username": salesperson.email, "password": "wrong-one"})
    metrics.rate_limit_rejected("auth")

    text = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()

    def grew(name: str, **labels: str) -> float:
        return _value(text, name, **labels) - _value(before, name, **labels)

    live = {"method": "GET", "route": "core:health-live", "status": "200"}
    assert grew("forecourt_http_requests_total", **live) == 1
    assert (
        grew(
            "forecourt_http_request_duration_seconds_count", route="core:health-live", status="200"
        )
        == 1
    )
    assert grew("forecourt_login_failures_total") == 1
    assert grew("forecourt_rate_limit_rejections_total", tier="auth") == 1
    assert grew("forecourt_db_queries_total", route="accounts:login") >= 1
    assert _value(text, "forecourt_build_info", version=__import__("forecourt").__version__) == 1
    assert _value(text, "forecourt_disk_free_bytes", folder="media") > 0
    assert _value(text, "forecourt_disk_free_percent", folder="backups") > 0


def test_queue_depth_and_worker_heartbeat_are_scraped(settings, tune):
    from forecourt.core.observability.heartbeat import record_worker_heartbeat
    from forecourt.core.observability.tests.trace_tasks import note_request_id

    settings.TASKS = {
        "default": {
            "BACKEND": "forecourt.core.observability.tasking.TracedDatabaseBackend",
            "QUEUES": ["default", "alerts", "maintenance"],
        }
    }
    note_request_id.enqueue(marker="a")
    note_request_id.enqueue(marker="b")
    record_worker_heartbeat("worker-1")

    text, _ = metrics.exposition()
    text = text.decode()
    assert _value(text, "forecourt_task_queue_depth", queue="default") == 2
    assert _value(text, "forecourt_worker_heartbeat_age_seconds") >= 0
    assert "forecourt_worker_heartbeat_age_seconds" in text


WORKER_SCRIPT = """
import os
from forecourt.core.observability import metrics
for _ in range(3):
    metrics.login_failed()
metrics.rate_limit_rejected("api")
metrics.request_observed("GET", "core:dashboard", 200, 0.02, 4, 0.003)
metrics.process_sampled(123456, 5.0, 17, 1.5)
"""


def test_counts_from_several_worker_processes_add_up(tmp_path):
    """Multiprocess mode: each gunicorn-like process writes its own files; a scrape sums them."""
    env = {**os.environ, metrics.MULTIPROC_ENV: str(tmp_path)}
    command = [sys.executable, "-c", WORKER_SCRIPT]
    workers = [subprocess.Popen(command, env=env) for _ in range(3)]  # noqa: S603
    assert [w.wait(timeout=60) for w in workers] == [0, 0, 0]
    assert len(list(tmp_path.glob("counter_*.db"))) == 3  # one file per process

    text = metrics.exposition(multiproc_dir=str(tmp_path))[0].decode()

    assert _value(text, "forecourt_login_failures_total") == 9
    assert _value(text, "forecourt_rate_limit_rejections_total", tier="api") == 3
    requests = {"method": "GET", "route": "core:dashboard", "status": "200"}
    assert _value(text, "forecourt_http_requests_total", **requests) == 3
    assert _value(text, "forecourt_db_queries_total", route="core:dashboard") == 12
    rss = [
        value
        for (name, _labels), value in _samples(text).items()
        if name == "forecourt_process_resident_memory_bytes"
    ]
    assert rss == [123456.0] * 3  # one series per live process
