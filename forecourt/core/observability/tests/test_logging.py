"""The access log, slow warnings, redaction and request ids in tasks."""

from __future__ import annotations

import logging

import pytest
import structlog
from django.test import Client

from forecourt.core.models import AuditEntry
from forecourt.core.observability.models import Alert
from forecourt.core.observability.tasking import REQUEST_ID_KWARG
from forecourt.core.observability.tests.trace_tasks import note_request_id
from forecourt.core.request_context import request_id_var

pytestmark = pytest.mark.django_db


def test_every_request_logs_one_line_with_all_fields(client_for, owner, log_output):
    client = client_for(owner)
    response = client.get("/audit/", HTTP_X_REQUEST_ID="trace-fields-0001", REMOTE_ADDR="10.1.2.3")

    assert response.status_code == 200
    [line] = log_output.events("request")
    assert line["request_id"] == "trace-fields-0001"
    assert line["method"] == "GET"
    assert line["route"] == "core:audit-list"
    assert line["path"] == "/audit/"
    assert line["status"] == 200
    assert line["duration_ms"] > 0
    assert line["user_id"] == owner.pk
    assert line["client_ip"] == "10.1.2.3"
    assert line["response_bytes"] == len(response.content)
    assert line["db_queries"] >= 1
    assert line["db_time_ms"] >= 0
    assert line["level"] == "info"
    assert line["logger"] == "forecourt.request"
    assert "rooftop" in line
    assert "timestamp" in line


def test_unmatched_paths_log_a_bounded_route_name(log_output):
    Client().get("/no/such/page/at/all")
    [line] = log_output.events("request")
    assert line["route"] == "<unmatched>"
    assert line["status"] in (302, 404)  # login redirect or not found
    assert line["user_id"] is None


def test_django_does_not_repeat_the_request_line(log_output):
    Client().get("/no/such/page/at/all")
    assert not [line for line in log_output.lines() if line["logger"] == "django.request"]


def test_slow_requests_and_queries_log_warnings_with_the_route(client_for, owner, log_output, tune):
    tune(slow_request_ms=0, slow_query_ms=0)
    client_for(owner).get("/audit/", HTTP_X_REQUEST_ID="trace-slow-0001")

    [line] = log_output.events("slow request")
    assert line["level"] == "warning"
    assert line["route"] == "core:audit-list"
    slow_queries = log_output.events("slow query")
    assert slow_queries
    assert all(q["route"] == "core:audit-list" for q in slow_queries)
    assert all(q["request_id"] == "trace-slow-0001" for q in slow_queries)
    assert not log_output.events("request")  # still one line per request


SECRETS = {
    "password": "Sup3r-Secret-Passw0rd",
    "token": "fc_live_token_value_abcdef123456",
    "cookie": "sessionid=cookie-session-value-999",
    "ssn": "078-05-1120",
    "dob": "1961-07-04",
    "licence": "D1234567-LICENCE",
    "income": "98765-INCOME",
    "bank": "GB29NWBK60161331926819",
}


def test_secrets_and_customer_fields_never_reach_a_log_line(salesperson, log_output):
    client = Client()
    client.cookies["sessionid"] = "cookie-session-value-999"
    client.post(
        f"/accounts/login/?ssn={SECRETS['ssn']}&token={SECRETS['token']}",
        {"username": salesperson.email, "password": SECRETS["password"]},
        HTTP_AUTHORIZATION=f"Bearer {SECRETS['token']}",
    )
    stdlib = logging.getLogger("forecourt.tests")
    stdlib.warning(
        "customer import %s",
        f"row ssn={SECRETS['ssn']} password={SECRETS['password']}",
        extra={
            "customer": {
                "ssn": SECRETS["ssn"],
                "date_of_birth": SECRETS["dob"],
                "driver_licence_number": SECRETS["licence"],
                "annual_income": SECRETS["income"],
                "bank_account": SECRETS["bank"],
            },
            "headers": {"Authorization": f"Bearer {SECRETS['token']}", "Cookie": SECRETS["cookie"]},
        },
    )
    structlog.get_logger("forecourt.tests").info(
        "api call", api_token=SECRETS["token"], body={"password": SECRETS["password"]}
    )
    try:
        raise RuntimeError(
            f"failed for dob={SECRETS['dob']} Authorization: Bearer {SECRETS['token']}"
        )
    except RuntimeError:
        stdlib.exception("import failed")

    output = log_output.text
    assert "customer import" in output
    assert "api call" in output
    assert "import failed" in output
    for name, value in SECRETS.items():
        assert value not in output, f"{name} leaked into the logs"
    assert "cookie-session-value-999" not in output


def test_tasks_carry_and_log_the_enqueuing_request_id(log_output):
    token = request_id_var.set("trace-task-0001")
    try:
        result = note_request_id.enqueue(marker="immediate")
    finally:
        request_id_var.reset(token)

    assert result.return_value == "trace-task-0001"
    [ran] = log_output.events("traced task ran")
    assert ran["request_id"] == "trace-task-0001"
    finished = [
        line
        for line in log_output.events("task finished")
        if line["task"].endswith("note_request_id")
    ]
    assert finished[0]["request_id"] == "trace-task-0001"
    assert finished[0]["outcome"] == "successful"


def test_a_queued_task_gets_the_request_id_in_the_worker(settings, log_output):
    settings.TASKS = {
        "default": {
            "BACKEND": "forecourt.core.observability.tasking.TracedDatabaseBackend",
            "QUEUES": ["default", "alerts", "maintenance"],
        }
    }
    from django_tasks_db.models import DBTaskResult

    token = request_id_var.set("trace-queued-0001")
    try:
        note_request_id.enqueue(marker="queued")
    finally:
        request_id_var.reset(token)
    row = DBTaskResult.objects.get(task_path__endswith="note_request_id")
    assert row.args_kwargs["kwargs"][REQUEST_ID_KWARG] == "trace-queued-0001"

    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    worker.run_task(row)

    row.refresh_from_db()
    assert row.status == "SUCCESSFUL"
    assert row.return_value == "trace-queued-0001"
    [ran] = log_output.events("traced task ran")
    assert ran["request_id"] == "trace-queued-0001"


def test_one_request_can_be_followed_by_its_id_everywhere(
    settings, tune, receiver, rooftop, log_output
):
    """Access log, its queries, its audit entry, its task and its alert share the id."""
    settings.ROOT_URLCONF = "forecourt.core.observability.tests.urls"
    tune(slow_query_ms=0, alert_webhook_url=receiver.url("/generic"), alert_retry_backoff_seconds=0)
    request_id = "trace-everything-0001"

    response = Client().get(f"/traced/{rooftop.pk}/", HTTP_X_REQUEST_ID=request_id)

    assert response["X-Request-ID"] == request_id
    [access] = log_output.events("request")
    assert access["request_id"] == request_id
    assert access["route"] == "traced"
    assert access["db_queries"] >= 2
    assert {q["request_id"] for q in log_output.events("slow query")} == {request_id}
    assert AuditEntry.objects.get(action="tests.trace").request_id == request_id
    [ran] = log_output.events("traced task ran")
    assert ran["request_id"] == request_id
    assert Alert.objects.get(title="Traced alert").request_id == request_id
    assert receiver.requests[0].json()["request_id"] == request_id
    assert log_output.events("alert raised")[0]["request_id"] == request_id


@pytest.mark.parametrize(
    "text",
    [
        "Authorization: Bearer fc_0123456789abcdef",
        "token abcdefghijkl",
        "/callback?access_token=abc123&x=1",
        '{"password": "hunter2hunter2"}',
        "{'api_key': 'k-123456'}",
        "SSN 123-45-6789 on file",
        "123-45-6789",
    ],
)
def test_the_quick_redaction_check_never_skips_a_secret(text):
    from forecourt.core.observability.redaction import _TEXT_PATTERNS, redact_text

    # The pre-check may only skip text that no pattern would change.
    assert any(p.search(text) for p, _ in _TEXT_PATTERNS)
    assert redact_text(text) != text


@pytest.mark.parametrize("text", ["/api/v1/vehicles", "api:list_vehicles", "127.0.0.1", "GET"])
def test_plain_log_values_pass_redaction_unchanged(text):
    from forecourt.core.observability.redaction import redact_text

    assert redact_text(text) == text


def _formatted(log_format: str, logger_name: str, event: str, **fields: object) -> str:
    import io

    from forecourt.core.logging import build_formatter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(build_formatter(log_format))
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        structlog.get_logger(logger_name).info(event, **fields)
    finally:
        root.removeHandler(handler)
        root.setLevel(previous_level)
    return stream.getvalue()


ACCESS_FIELDS = {
    "method": "GET",
    "path": "/inventory/",
    "status": 200,
    "duration_ms": 12.34,
    "route": "inventory:vehicle-list",
    "client_ip": "127.0.0.1",
    "response_bytes": 5120,
    "db_queries": 4,
    "db_time_ms": 2.1,
    "user_id": 7,
    "rooftop": None,
}


def test_development_console_prints_one_short_readable_line_per_request():
    line = _formatted("console", "forecourt.request", "request", **ACCESS_FIELDS)
    assert line.count("\n") == 1
    clock, rest = line.rstrip("\n").split(" ", 1)
    assert len(clock) == 8  # HH:MM:SS, no date or microseconds
    assert clock.count(":") == 2
    assert rest == "[info] GET /inventory/ 200 12 ms [forecourt.request]"


def test_development_console_keeps_other_fields_and_drops_an_empty_request_id():
    line = _formatted("console", "forecourt.worker", "task finished", task="import", rows=3)
    assert "task finished" in line
    assert line.rstrip().endswith("[forecourt.worker] rows=3 task=import")
    assert "request_id" not in line
    assert "{" not in line


def test_production_json_keeps_every_access_log_field():
    import json

    line = json.loads(_formatted("json", "forecourt.request", "request", **ACCESS_FIELDS))
    assert {k: line[k] for k in ACCESS_FIELDS} == ACCESS_FIELDS
    assert line["event"] == "request"
    assert line["timestamp"].endswith("Z")
