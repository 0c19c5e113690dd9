"""Each suspicious-activity detector records a security event (once per window)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import connection
from django.test import Client, RequestFactory
from django.utils import timezone

from forecourt.accounts.models import User
from forecourt.accounts.roles import Role
from forecourt.core.observability import store
from forecourt.core.observability.conf import WEEKDAYS, parse_business_hours
from forecourt.core.observability.detectors import note_bulk_read
from forecourt.core.observability.models import Alert, SecurityEvent

pytestmark = pytest.mark.django_db


def _kinds():
    return list(SecurityEvent.objects.values_list("kind", flat=True))


def test_login_failure_burst_per_account_through_the_sign_in_page(salesperson, tune):
    tune(login_failures_per_account=3)
    client = Client()
    for _ in range(4):
        client.post("/accounts/login/", {"username": salesperson.email, "password": "wrong-one"})

    [event] = SecurityEvent.objects.filter(kind="login_failures_account")
    assert event.details["account"] == salesperson.email
    assert event.details["failures"] == 3
    assert event.ip_address == "127.0.0.1"
    assert Alert.objects.filter(title="Security event: login failures account").exists()


def _failed_login(account: str, ip: str) -> None:
    request = RequestFactory().post("/accounts/login/")
    request.client_ip = ip
    user_login_failed.send(sender=User, credentials={"username": account}, request=request)


def test_login_failure_burst_per_ip_across_accounts(tune):
    tune(login_failures_per_ip=5, login_failures_per_account=100)
    for n in range(7):
        _failed_login(f"person{n}@example.com", "198.51.100.7")
    _failed_login("someone@example.com", "198.51.100.8")

    [event] = SecurityEvent.objects.filter(kind="login_failures_ip")
    assert event.ip_address == "198.51.100.7"
    assert event.details["failures"] == 5


def _signed_in(user: User, ip: str) -> None:
    request = RequestFactory().post("/accounts/login/")
    request.client_ip = ip
    user_logged_in.send(sender=User, request=request, user=user)


def test_privileged_sign_in_from_a_new_address(owner, salesperson):
    _signed_in(owner, "203.0.113.10")  # first address: remembered, nothing to compare with
    _signed_in(owner, "203.0.113.10")
    assert _kinds() == []

    _signed_in(owner, "203.0.113.99")
    [event] = SecurityEvent.objects.all()
    assert (event.kind, event.user_id, event.ip_address) == (
        "new_address_privileged_login",
        owner.pk,
        "203.0.113.99",
    )
    assert Role.OWNER.value in event.details["roles"]

    _signed_in(salesperson, "203.0.113.10")
    _signed_in(salesperson, "203.0.113.11")  # not a privileged role
    assert SecurityEvent.objects.count() == 1


def test_a_burst_of_404s_from_one_client_is_scanning(tune):
    tune(client_error_burst=5)
    client = Client(REMOTE_ADDR="192.0.2.44")
    for n in range(8):
        client.get(f"/static/nothing-{n}.php")

    [event] = SecurityEvent.objects.filter(kind="client_error_burst")
    assert event.ip_address == "192.0.2.44"
    assert event.details["count"] == 5


@pytest.mark.parametrize(
    ("url", "category"),
    [
        ("/health/live?q=%27%20OR%201%3D1--", "sql_injection"),
        ("/health/live?id=1%20UNION%20SELECT%20password%20FROM%20users", "sql_injection"),
        ("/static/..%252f..%252f..%252fetc/passwd", "path_traversal"),
        ("/health/live?name=%3Cscript%3Ealert(1)%3C/script%3E", "xss"),
        ("/health/live?x=%24%7Bjndi%3Aldap%3A//evil%7D", "template_injection"),
    ],
)
def test_injection_and_traversal_payloads_are_recorded(url, category):
    Client(REMOTE_ADDR="192.0.2.50").get(url)
    [event] = SecurityEvent.objects.filter(kind="injection_attempt")
    assert event.details["category"] == category
    assert event.ip_address == "192.0.2.50"


def test_payloads_in_a_form_body_are_recorded(salesperson):
    Client().post("/accounts/login/", {"username": "a' OR '1'='1", "password": "x"})
    assert SecurityEvent.objects.filter(
        kind="injection_attempt", details__category="sql_injection"
    ).exists()


def test_ordinary_requests_raise_no_event(client_for, owner):
    client = client_for(owner)
    client.get("/audit/?object_type=accounts.user&page=2")
    client.get("/health/live?q=O%27Brien%20and%20sons")
    assert _kinds() == []


def test_bulk_reads_of_customer_records(salesperson, owner, tune):
    tune(bulk_read_records=500)
    note_bulk_read(salesperson, "customer", 300)
    assert _kinds() == []
    note_bulk_read(salesperson, "customer", 250)  # 550 in the window: crosses 500
    note_bulk_read(salesperson, "customer", 250)  # still over: no second event
    note_bulk_read(owner, "customer", 100)  # someone else counts on their own

    [event] = SecurityEvent.objects.all()
    assert (event.kind, event.user_id) == ("bulk_read", salesperson.pk)
    assert event.details["records"] == 550


def _closed_now():
    today = WEEKDAYS[timezone.localtime().weekday()]
    other_days = ",".join(day for day in WEEKDAYS if day != today)
    return parse_business_hours("00:00-23:59", other_days)


def test_access_outside_business_hours_by_non_admin_roles(client_for, salesperson, owner, tune):
    tune(business_hours=_closed_now())
    client_for(owner).get("/")
    assert _kinds() == []  # admins may work any time

    client_for(salesperson).get("/")
    client_for(salesperson).get("/")  # once per window, not per request
    [event] = SecurityEvent.objects.all()
    assert (event.kind, event.user_id) == ("outside_business_hours", salesperson.pk)


def test_inside_business_hours_raises_nothing(client_for, salesperson, tune):
    tune(business_hours=parse_business_hours("00:00-23:59", ",".join(WEEKDAYS)))
    client_for(salesperson).get("/")
    assert _kinds() == []


def test_business_hours_parsing():
    hours = parse_business_hours("07:00-21:00", "mon,tue,wed,thu,fri")
    assert hours is not None
    assert hours.contains(dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC))  # a Monday
    assert not hours.contains(dt.datetime(2026, 11, 23, 21, 0, tzinfo=dt.UTC))
    assert not hours.contains(dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC))  # a Sunday
    assert parse_business_hours("", "mon") is None
    with pytest.raises(ValueError, match="range"):
        parse_business_hours("7am-9pm", "mon")
    with pytest.raises(ValueError, match="days"):
        parse_business_hours("07:00-21:00", "funday")


def test_security_events_are_alerted_once_per_subject(tune):
    tune(login_failures_per_ip=2, login_failure_window_seconds=1)
    _failed_login("a@example.com", "198.51.100.20")
    _failed_login("b@example.com", "198.51.100.20")
    assert (
        Alert.objects.filter(dedup_key="security:login_failures_ip:ip:198.51.100.20").count() == 1
    )


COUNT_SCRIPT = """
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forecourt.settings")
django.setup()
from forecourt.core.observability import store
for _ in range(5):
    store.increment("cross-process", 60)
"""


@pytest.mark.django_db(transaction=True)
def test_counts_from_several_processes_add_up():
    """Two other processes count into the same store as this one (Redis or the database)."""
    env = dict(os.environ)
    if connection.vendor == "sqlite":
        name = connection.settings_dict["NAME"]
        if "memory" in str(name) or not env.get("REDIS_URL"):
            pytest.skip("an in-memory SQLite test database is private to this process")
    else:
        settings = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
        )
    store.clear()
    command = [sys.executable, "-c", COUNT_SCRIPT]
    workers = [subprocess.Popen(command, env=env) for _ in range(2)]  # noqa: S603
    assert [w.wait(timeout=120) for w in workers] == [0, 0]
    assert store.increment("cross-process", 60) == 11


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("' OR 1=1 --", "sql_injection"),
        ("1 UNION SELECT password", "sql_injection"),
        ("<ScRipt>alert(1)</script>", "xss"),
        ("../../etc/passwd", "path_traversal"),
        ("; cat /etc/hosts", "command_injection"),
        ("{{7*7}}", "template_injection"),
        ("Toyota", None),
        ("/api/v1/vehicles", None),
        ("list_price", None),
    ],
)
def test_the_one_scan_prefilter_lets_every_payload_through(text, category):
    from forecourt.core.observability.detectors import find_payloads

    request = RequestFactory().get("/api/v1/vehicles", {"q": text})
    found = find_payloads(request)
    if category is None:
        assert found == {}
    else:
        assert found[category] == "query:q"
