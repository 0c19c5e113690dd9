"""Changing a sign-in email: sudo mode, uniqueness, audit, other sessions, old address told."""

import time

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from forecourt.accounts import actions
from forecourt.accounts.roles import Role
from forecourt.core.models import AuditEntry
from forecourt.core.security.models import UserSession
from forecourt.core.security.sessions import RECENT_AUTH_AT

pytestmark = pytest.mark.django_db


def test_the_page_needs_sudo_mode(client_for, salesperson):
    client = client_for(salesperson)
    session = client.session
    session[RECENT_AUTH_AT] = time.time() - 11 * 60
    session.save()
    page = client.get("/accounts/email/")
    assert page.status_code == 302
    assert page["Location"].startswith("/security/reauth/?next=")
    post = client.post("/accounts/email/", {"email": "new@example.com"})
    assert post["Location"].startswith("/security/reauth/")
    salesperson.refresh_from_db()
    assert salesperson.email != "new@example.com"
    assert mail.outbox == []


def test_change_ends_other_sessions_audits_and_tells_the_old_address(client_for, salesperson):
    old_email = salesperson.email
    here, elsewhere = client_for(salesperson), client_for(salesperson)
    assert UserSession.objects.filter(user=salesperson).count() == 2

    response = here.post("/accounts/email/", {"email": "New.Address@Example.com"})

    assert response.status_code == 302
    salesperson.refresh_from_db()
    assert salesperson.email == "new.address@example.com"
    kept = UserSession.objects.filter(user=salesperson)
    assert list(kept.values_list("session_key", flat=True)) == [here.session.session_key]
    assert elsewhere.get("/").status_code == 302  # that session was signed out
    entry = AuditEntry.objects.get(action="accounts.change_email")
    assert entry.changes == {"email": [old_email, "new.address@example.com"]}
    assert entry.actor_id == salesperson.pk
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [old_email]
    assert "new.address@example.com" in mail.outbox[0].body


def test_an_address_in_use_is_refused_whatever_its_case(client_for, salesperson, owner):
    client = client_for(salesperson)
    response = client.post("/accounts/email/", {"email": owner.email.upper()})
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    old = salesperson.email
    salesperson.refresh_from_db()
    assert salesperson.email == old
    assert not AuditEntry.objects.filter(action="accounts.change_email").exists()
    assert mail.outbox == []


def test_changing_someone_else_needs_change_user(salesperson, owner, make_user):
    with pytest.raises(PermissionDenied):
        actions.change_email(salesperson, owner, "elsewhere@example.com")
    manager = make_user(Role.GENERAL_MANAGER)  # sees users, may not change them
    with pytest.raises(PermissionDenied):
        actions.change_email(manager, salesperson, "elsewhere@example.com")
    changed = actions.change_email(owner, salesperson, "moved@example.com")
    assert changed.email == "moved@example.com"
    assert mail.outbox[0].to != ["moved@example.com"]


def test_the_same_address_or_garbage_is_refused(salesperson):
    with pytest.raises(ValidationError):
        actions.change_email(salesperson, salesperson, salesperson.email.upper())
    with pytest.raises(ValidationError):
        actions.change_email(salesperson, salesperson, "not an email")
    assert mail.outbox == []


def test_the_account_section_links_to_it(client_for, salesperson):
    page = client_for(salesperson).get("/security/mfa/")
    assert 'href="/accounts/email/"' in page.content.decode()
