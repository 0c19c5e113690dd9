"""Staff are invited: a one-time link to choose their own password, then MFA enrolment."""

import json
import logging
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from forecourt.accounts.invitations import actions
from forecourt.accounts.models import Invitation, InvitationStatus, User, hash_token
from forecourt.accounts.roles import Role
from forecourt.core.models import AuditEntry
from forecourt.core.testing import bearer

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-passphrase"
LINK = re.compile(r"https?://\S+/accounts/invitation/\?token=(\S+)")


def _invite(client, rooftop, **overrides):
    data = {
        "email": "New.Person@Example.com",
        "full_name": "New Person",
        "roles": [Role.SALESPERSON.value],
        "rooftops": [rooftop.pk],
        **overrides,
    }
    return client.post("/accounts/users/invite/", data)


def _last_link() -> tuple[str, str]:
    """(the link's path and query, the token) from the last email sent."""
    match = LINK.search(mail.outbox[-1].body)
    assert match is not None, mail.outbox[-1].body
    token = match.group(1)
    return f"/accounts/invitation/?token={token}", token


def _accept(link: str, password: str = PASSWORD, again: str | None = None) -> tuple[Client, object]:
    client = Client()
    opened = client.get(link)
    assert (opened.status_code, opened["Location"]) == (302, "/accounts/invitation/accept/")
    response = client.post(
        "/accounts/invitation/accept/",
        {"password": password, "password_again": again or password},
    )
    return client, response


def test_owner_invites_and_the_invitee_sets_a_password_then_must_enrol_mfa(
    client_for, owner, rooftop, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client_for(owner), rooftop)
    assert (response.status_code, response["Location"]) == (302, "/accounts/users/")
    invitation = Invitation.objects.get(email="new.person@example.com")
    assert invitation.status == InvitationStatus.PENDING
    assert invitation.roles == [Role.SALESPERSON.value]
    assert not User.objects.filter(email="new.person@example.com").exists()
    assert mail.outbox[-1].to == ["new.person@example.com"]
    link, token = _last_link()
    assert token not in invitation.token_hash  # only a hash of the secret is stored
    assert not Invitation.objects.filter(token_hash=hash_token(token)).exists()  # signed form

    client, accepted = _accept(link)
    assert (accepted.status_code, accepted["Location"]) == (302, "/accounts/login/")
    user = User.objects.get(email="new.person@example.com")
    assert user.check_password(PASSWORD)
    assert user.role_names == [Role.SALESPERSON.value]
    assert list(user.rooftops.all()) == [rooftop]
    invitation.refresh_from_db()
    assert (invitation.status, invitation.user) == (InvitationStatus.ACCEPTED, user)
    entry = AuditEntry.objects.get(action="accounts.accept_invitation")
    assert entry.actor == user
    assert AuditEntry.objects.get(action="accounts.invite_user").actor == owner

    signed_in = client.post(
        "/accounts/login/", {"username": user.email, "password": PASSWORD}, follow=True
    )
    assert signed_in.redirect_chain[-1][0].startswith("/security/mfa/setup/")

    again = Client()
    again.get(link)
    assert again.get("/accounts/invitation/accept/").status_code == 404  # single use


def test_no_log_line_or_audit_entry_carries_the_token(
    client_for, owner, rooftop, caplog, django_capture_on_commit_callbacks
):
    with caplog.at_level(logging.DEBUG):
        with django_capture_on_commit_callbacks(execute=True):
            _invite(client_for(owner), rooftop)
        link, token = _last_link()
        _accept(link)
    secret = token.split(":")[0]
    logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert "/accounts/invitation/accept/" in logged  # the requests were logged...
    assert secret not in logged  # ...without the secret
    audited = str(list(AuditEntry.objects.values_list("changes", flat=True)))
    assert secret not in audited


def test_resend_replaces_the_link_and_revoke_ends_it(
    client_for, owner, rooftop, django_capture_on_commit_callbacks
):
    client = client_for(owner)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, rooftop)
    first, _ = _last_link()
    invitation = Invitation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/accounts/invitations/{invitation.pk}/resend/").status_code == 302
    second, _ = _last_link()
    assert first != second
    _, refused = _accept(first)
    assert refused.status_code == 404
    assert AuditEntry.objects.filter(action="accounts.resend_invitation").count() == 1
    assert client.post(f"/accounts/invitations/{invitation.pk}/revoke/").status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED
    _, refused = _accept(second)
    assert refused.status_code == 404
    assert not User.objects.filter(email=invitation.email).exists()
    assert AuditEntry.objects.filter(action="accounts.revoke_invitation").count() == 1


def test_an_expired_or_tampered_link_does_not_work(
    client_for, owner, rooftop, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client_for(owner), rooftop)
    link, token = _last_link()
    _, tampered = _accept(link.replace(token, token[:-2] + "xx"))
    assert tampered.status_code == 404
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    _, expired = _accept(link)
    assert expired.status_code == 404
    assert actions.expire_invitations() == 1
    assert Invitation.objects.get().status == InvitationStatus.EXPIRED
    assert AuditEntry.objects.filter(action="accounts.expire_invitation").count() == 1
    assert not User.objects.filter(email="new.person@example.com").exists()


@pytest.mark.parametrize(
    ("password", "again", "message"),
    [
        ("short", "short", "This password is too short"),
        ("password12345", "password12345", "This password is too common"),
        (PASSWORD, PASSWORD + "x", "The two passwords differ"),
    ],
)
def test_accept_form_shows_inline_errors_and_keeps_the_link(
    client_for, owner, rooftop, django_capture_on_commit_callbacks, password, again, message
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client_for(owner), rooftop)
    link, _ = _last_link()
    _, response = _accept(link, password, again)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Invitation.objects.get().status == InvitationStatus.PENDING
    assert not User.objects.filter(email="new.person@example.com").exists()


def test_invite_form_refuses_an_existing_user_or_a_second_invitation(
    client_for, owner, rooftop, salesperson
):
    client = client_for(owner)
    response = _invite(client, rooftop, email=salesperson.email.upper())
    assert "A user with this email already exists" in response.content.decode()
    assert _invite(client, rooftop).status_code == 302
    response = _invite(client, rooftop)
    assert "already has a pending invitation" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_a_signed_in_user_cannot_use_an_invitation(
    client_for, owner, salesperson, rooftop, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client_for(owner), rooftop)
    link, _ = _last_link()
    client = client_for(salesperson)
    client.get(link)
    response = client.post(
        "/accounts/invitation/accept/", {"password": PASSWORD, "password_again": PASSWORD}
    )
    assert "Sign out first" in response.content.decode()
    assert Invitation.objects.get().status == InvitationStatus.PENDING


def test_only_owners_invite_owners_and_salespeople_invite_nobody(
    client_for, make_user, rooftop, salesperson
):
    manager = make_user(Role.GENERAL_MANAGER)
    response = _invite(client_for(manager), rooftop, roles=[Role.OWNER.value])
    assert response.status_code == 403
    assert _invite(client_for(salesperson), rooftop).status_code == 403
    assert client_for(salesperson).get("/accounts/users/invite/").status_code == 403
    assert not Invitation.objects.exists()


def _api(method, path, token, body=None):
    if body is None:
        return getattr(Client(), method)(f"/api/v1{path}", **bearer(token))
    return getattr(Client(), method)(
        f"/api/v1{path}", json.dumps(body), content_type="application/json", **bearer(token)
    )


def test_api_invites_lists_resends_and_revokes(owner, rooftop, token_for):
    token = token_for(owner)
    body = {
        "email": "api.person@example.com",
        "full_name": "Api Person",
        "roles": [Role.SALESPERSON.value],
        "rooftop_ids": [rooftop.pk],
    }
    created = _api("post", "/invitations", token, body)
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["status"], data["rooftop_ids"]) == ("pending", [rooftop.pk])
    assert "token" not in json.dumps(data).lower()
    listed = _api("get", "/invitations", token).json()
    assert [i["email"] for i in listed] == ["api.person@example.com"]
    assert _api("post", f"/invitations/{data['id']}/resend", token).status_code == 200
    revoked = _api("post", f"/invitations/{data['id']}/revoke", token)
    assert revoked.json()["status"] == "revoked"
    again = _api("post", f"/invitations/{data['id']}/revoke", token)
    assert again.status_code == 422
    bad = _api("post", "/invitations", token, {**body, "email": "not-an-email"})
    assert bad.status_code == 422
    assert [f["field"] for f in bad.json()["error"]["fields"]] == ["email"]


def test_api_invitations_need_the_permission(salesperson, token_for, rooftop):
    token = token_for(salesperson)
    body = {
        "email": "x@example.com",
        "full_name": "X",
        "roles": [Role.SALESPERSON.value],
        "rooftop_ids": [rooftop.pk],
    }
    assert _api("post", "/invitations", token, body).status_code == 403
    assert _api("get", "/invitations", token).status_code == 403
