"""Access review page, CSV export, and deactivation of idle users."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from forecourt.accounts.roles import Role
from forecourt.core.models import AuditEntry
from forecourt.core.security import tasks
from forecourt.core.security.actions import deactivate_idle_users
from forecourt.core.security.models import UserSession

pytestmark = pytest.mark.django_db


def test_the_review_lists_roles_rooftops_mfa_and_last_sign_in(
    client_for, owner, salesperson, rooftop
):
    client_for(salesperson)  # gives the salesperson an authenticator
    lone = salesperson.__class__.objects.create_user(
        "=cmd@example.com", "x" * 12, full_name="=HYPERLINK()"
    )
    lone.rooftops.set([rooftop])
    client = client_for(owner)
    page = client.get("/security/access-review/").content.decode()
    assert salesperson.email in page
    assert Role.SALESPERSON.value in page
    assert "not enrolled" in page
    assert "authenticator app" in page
    export = client.post("/security/access-review/export.csv")
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    by_email = {r["email"]: r for r in rows}
    assert by_email[salesperson.email]["roles"] == Role.SALESPERSON.value
    assert by_email[salesperson.email]["rooftops"] == rooftop.code
    assert by_email[salesperson.email]["mfa"].startswith("authenticator app")
    assert by_email["'=cmd@example.com"]["full_name"] == "'=HYPERLINK()"  # no spreadsheet formulas
    assert by_email["'=cmd@example.com"]["mfa"] == "not enrolled"
    assert AuditEntry.objects.filter(action="security.export_access_review").exists()


def test_the_review_needs_its_permission(client_for, salesperson):
    assert client_for(salesperson).get("/security/access-review/").status_code == 403
    assert client_for(salesperson).post("/security/access-review/export.csv").status_code == 403
    assert "Access review" not in client_for(salesperson).get("/").content.decode()


def test_users_idle_for_ninety_days_are_deactivated(make_user):
    now = timezone.now()
    idle = make_user(last_login=now - timedelta(days=91))
    recent = make_user(last_login=now - timedelta(days=89))
    never = make_user()
    never.__class__.objects.filter(pk=never.pk).update(date_joined=now - timedelta(days=100))
    UserSession.objects.create(
        session_key="k" * 32, session_data="", expire_date=now + timedelta(hours=1), user=idle
    )
    assert sorted(deactivate_idle_users(None)) == sorted([idle.email, never.email])
    for user in (idle, recent, never):
        user.refresh_from_db()
    assert (idle.is_active, recent.is_active, never.is_active) == (False, True, False)
    assert not UserSession.objects.filter(user=idle).exists()
    assert AuditEntry.objects.filter(action="security.deactivate_idle_user").count() == 2


def test_the_task_and_the_command_deactivate_too(make_user):
    first = make_user(last_login=timezone.now() - timedelta(days=120))
    result = tasks.deactivate_idle_users.enqueue()
    assert result.return_value == [first.email]
    second = make_user(last_login=timezone.now() - timedelta(days=120))
    out = io.StringIO()
    call_command("deactivate_idle_users", stdout=out)
    assert f"deactivated {second.email}" in out.getvalue()
    second.refresh_from_db()
    assert not second.is_active


def test_the_worker_deactivates_idle_users_nightly(make_user):
    from forecourt.core.scheduler import registered_jobs

    job = {j.name: j for j in registered_jobs()}["security.deactivate_idle_users"]
    idle = make_user(last_login=timezone.now() - timedelta(days=120))
    job.run()  # enqueues the task; tests run tasks immediately
    idle.refresh_from_db()
    assert idle.is_active is False
