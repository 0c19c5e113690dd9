"""Alert delivery against a real local HTTP server: signing, retries, dedup, isolation."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from django.core import mail

from forecourt.core.observability import alerts
from forecourt.core.observability.alerts import send_alert
from forecourt.core.observability.channels import SIGNATURE_HEADER, TIMESTAMP_HEADER
from forecourt.core.observability.models import Alert, AlertDelivery
from forecourt.core.request_context import request_id_var

pytestmark = pytest.mark.django_db
SECRET = "webhook-shared-secret"


@pytest.fixture
def channels(tune, receiver):
    tune(
        alert_webhook_url=receiver.url("/generic"),
        alert_webhook_secret=SECRET,
        alert_slack_webhook_url=receiver.url("/slack"),
        alert_email_to=("ops@example.com",),
        alert_retry_backoff_seconds=0,
        alert_timeout_seconds=2,
    )
    return receiver


def _by_path(receiver, path):
    return [r for r in receiver.requests if r.path == path]


def test_alert_reaches_every_channel_with_a_verifiable_signature(channels):
    token = request_id_var.set("req-alert-0001")
    try:
        send_alert("error", "Backup failed", {"stage": "upload", "password": "hunter2"})
    finally:
        request_id_var.reset(token)

    [generic] = _by_path(channels, "/generic")
    body = generic.json()
    assert body["level"] == "error"
    assert body["title"] == "Backup failed"
    assert body["request_id"] == "req-alert-0001"
    assert body["details"] == {"stage": "upload", "password": "[REDACTED]"}
    timestamp = generic.headers[TIMESTAMP_HEADER]
    expected = hmac.new(SECRET.encode(), timestamp.encode() + b"." + generic.body, hashlib.sha256)
    assert generic.headers[SIGNATURE_HEADER] == "sha256=" + expected.hexdigest()
    forged = hmac.new(b"other-secret", timestamp.encode() + b"." + generic.body, hashlib.sha256)
    assert generic.headers[SIGNATURE_HEADER] != "sha256=" + forged.hexdigest()

    [slack] = _by_path(channels, "/slack")
    assert "*Backup failed*" in slack.json()["text"]
    assert "hunter2" not in slack.body.decode()

    [email] = mail.outbox
    assert email.to == ["ops@example.com"]
    assert "Backup failed" in email.subject

    alert = Alert.objects.get()
    assert alert.request_id == "req-alert-0001"
    statuses = dict(alert.deliveries.values_list("channel", "status"))
    assert statuses == {"slack": "sent", "webhook": "sent", "email": "sent"}


def test_a_failing_channel_is_retried_until_it_answers(channels, tune):
    tune(alert_slack_webhook_url="", alert_email_to=(), alert_retry_attempts=3)
    channels.respond(500, 503)  # then 200

    send_alert("warning", "Disk filling up", {"free_percent": 7})

    assert len(_by_path(channels, "/generic")) == 3
    delivery = AlertDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("sent", 3)


def test_one_channel_failing_does_not_lose_the_alert_for_the_others(channels, tune):
    tune(alert_slack_webhook_url="http://127.0.0.1:1/nothing-listens-here", alert_retry_attempts=2)

    send_alert("critical", "Database unreachable")

    assert len(_by_path(channels, "/generic")) == 1
    assert len(mail.outbox) == 1
    slack = AlertDelivery.objects.get(channel="slack")
    assert slack.status == "failed"
    assert slack.attempts == 2
    assert slack.last_error
    assert AlertDelivery.objects.get(channel="webhook").status == "sent"


def test_a_channel_that_never_answers_times_out(channels, tune):
    tune(alert_slack_webhook_url="", alert_email_to=(), alert_retry_attempts=1)
    tune(alert_timeout_seconds=0.2)
    channels.delay = 1.0

    send_alert("error", "Slow receiver")

    delivery = AlertDelivery.objects.get()
    assert delivery.status == "failed"
    assert "timed out" in delivery.last_error.lower() or "timeout" in delivery.last_error.lower()


def test_identical_alerts_are_sent_once_within_the_window(channels, tune):
    tune(alert_slack_webhook_url="", alert_email_to=())

    send_alert("error", "Worker down", {"worker": "w1"})
    send_alert("error", "Worker down", {"worker": "w1"})
    send_alert("error", "Worker down", {"worker": "w2"})  # different details: a new alert
    send_alert("error", "Worker down", {"worker": "w3"}, dedup_key="worker-down")
    send_alert("error", "Worker down", {"worker": "w4"}, dedup_key="worker-down")

    assert Alert.objects.count() == 3
    assert len(_by_path(channels, "/generic")) == 3


def test_dedup_window_zero_sends_every_alert(channels, tune):
    tune(alert_slack_webhook_url="", alert_email_to=(), alert_dedup_seconds=0)
    send_alert("error", "Same")
    send_alert("error", "Same")
    assert len(_by_path(channels, "/generic")) == 2


def test_alerts_below_the_minimum_level_are_stored_but_not_sent(channels):
    send_alert("info", "Nightly job done")
    assert Alert.objects.get().title == "Nightly job done"
    assert channels.requests == []
    assert mail.outbox == []


def test_unknown_level_is_a_programming_error():
    with pytest.raises(ValueError, match="alert level"):
        send_alert("fatal", "x")


def test_send_alert_never_raises_when_the_queue_is_down(monkeypatch, log_output):
    class UnreachableQueue:
        def enqueue(self, **kwargs):
            raise ConnectionError("queue unreachable")

    monkeypatch.setattr(alerts, "deliver_alert", UnreachableQueue())
    send_alert("error", "Anything")  # no exception
    assert log_output.events("alert could not be enqueued")


def test_unhandled_exception_alerts_with_request_id_and_no_pii(channels, tune, client, settings):
    tune(alert_slack_webhook_url="", alert_email_to=())
    settings.ROOT_URLCONF = "forecourt.core.observability.tests.urls"
    client.raise_request_exception = False

    response = client.get("/boom/", HTTP_X_REQUEST_ID="trace-boom-0001")

    assert response.status_code == 500
    [generic] = _by_path(channels, "/generic")
    body = generic.json()
    assert body["request_id"] == "trace-boom-0001"
    assert body["details"]["exception"] == "ValueError"
    assert body["details"]["route"] == "boom"
    assert "jane.doe@example.com" not in generic.body.decode()
