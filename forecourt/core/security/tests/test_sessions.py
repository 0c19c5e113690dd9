"""Sessions: bound to the user, idle and absolute timeouts, rotation, revocation."""

import time

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django_otp.oath import totp

from forecourt.accounts.models import ApiToken
from forecourt.accounts.roles import Role
from forecourt.core.models import AuditEntry
from forecourt.core.security.models import UserSession
from forecourt.core.security.sessions import LAST_ACTIVITY, LOGIN_AT
from forecourt.core.security.testing import confirmed_totp_device
from forecourt.core.testing import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def age_session(client, **seconds_ago):
    session = client.session
    for key, ago in seconds_ago.items():
        session[{"login": LOGIN_AT, "activity": LAST_ACTIVITY}[key]] = time.time() - ago
    session.save()


def test_a_sign_in_creates_a_session_row_bound_to_the_user(salesperson):
    client = Client(HTTP_USER_AGENT="Firefox on a test bench")
    client.get("/accounts/login/")
    client.session.save()
    anonymous_key = client.session.session_key
    client.post(
        "/accounts/login/",
        {"username": salesperson.email, "password": TEST_PASSWORD},
        REMOTE_ADDR="198.51.100.20",
    )
    row = UserSession.objects.get(user=salesperson)
    assert row.session_key != anonymous_key  # the key rotates at sign-in
    assert row.ip_address == "198.51.100.20"
    assert row.user_agent == "Firefox on a test bench"
    assert row.created_at is not None
    assert row.last_activity is not None


def test_the_key_rotates_when_mfa_is_verified(salesperson):
    device = confirmed_totp_device(salesperson)
    client = Client()
    client.post("/accounts/login/", {"username": salesperson.email, "password": TEST_PASSWORD})
    before = client.session.session_key
    client.post("/security/mfa/verify/", {"code": f"{totp(device.bin_key):06d}"})
    assert client.session.session_key != before
    assert not UserSession.objects.filter(session_key=before).exists()


def test_an_idle_session_ends(client_for, salesperson):
    client = client_for(salesperson)
    age_session(client, activity=29 * 60)
    assert client.get("/").status_code == 200
    age_session(client, activity=31 * 60)
    response = client.get("/")
    assert response["Location"].startswith("/accounts/login/")
    assert not UserSession.objects.filter(user=salesperson).exists()


def test_a_session_ends_after_twelve_hours_however_active(client_for, salesperson):
    client = client_for(salesperson)
    age_session(client, login=11 * 3600, activity=0)
    assert client.get("/").status_code == 200
    age_session(client, login=12 * 3600 + 60, activity=0)
    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_signing_out_ends_every_session_of_the_user(client_for, salesperson, owner):
    phone, laptop, someone_else = (
        client_for(salesperson),
        client_for(salesperson),
        client_for(owner),
    )
    laptop.post("/accounts/logout/")
    assert phone.get("/")["Location"].startswith("/accounts/login/")
    assert someone_else.get("/").status_code == 200


def test_a_password_change_keeps_this_session_and_ends_the_others(client_for, salesperson):
    here, elsewhere = client_for(salesperson), client_for(salesperson)
    new = "a long and fresh passphrase"
    response = here.post(
        "/security/password/",
        {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response["Location"] == "/security/sessions/"
    assert here.get("/").status_code == 200
    assert elsewhere.get("/")["Location"].startswith("/accounts/login/")
    assert UserSession.objects.filter(user=salesperson).count() == 1


def test_deactivation_ends_every_session(client_for, salesperson):
    client = client_for(salesperson)
    salesperson.is_active = False
    salesperson.save()
    assert not UserSession.objects.filter(user=salesperson).exists()
    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_a_role_change_ends_the_users_sessions(client_for, salesperson):
    client = client_for(salesperson)
    salesperson.groups.add(Group.objects.get(name=Role.SALES_MANAGER.value))
    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_a_user_sees_and_ends_their_own_sessions(client_for, salesperson, owner):
    here, elsewhere = client_for(salesperson), client_for(salesperson)
    client_for(owner)
    page = here.get("/security/sessions/").content.decode()
    assert page.count('name="ref"') == 1  # the other session; this one is marked instead
    assert "This session" in page
    for row in UserSession.objects.all():
        assert row.session_key not in page  # keys are credentials: never shown
    ref = page.split('name="ref" value="')[1].split('"')[0]
    assert here.post("/security/sessions/end/", {"ref": ref}).status_code == 302
    assert elsewhere.get("/")["Location"].startswith("/accounts/login/")
    assert here.get("/").status_code == 200
    assert UserSession.objects.filter(user=owner).count() == 1
    entry = AuditEntry.objects.get(action="security.end_session")
    assert (entry.actor_id, entry.changes) == (salesperson.pk, {"sessions": [ref, None]})
    # The same reference again: already ended, nothing more is written.
    here.post("/security/sessions/end/", {"ref": ref})
    assert AuditEntry.objects.filter(action="security.end_session").count() == 1


def test_a_user_can_end_all_their_other_sessions(client_for, salesperson):
    here = client_for(salesperson)
    others = [client_for(salesperson) for _ in range(2)]
    here.post("/security/sessions/end-others/")
    assert UserSession.objects.filter(user=salesperson).count() == 1
    assert all(c.get("/")["Location"].startswith("/accounts/login/") for c in others)


def test_an_admin_ends_anyones_sessions_within_their_rooftops(
    client_for, owner, salesperson, make_user, other_rooftop
):
    target = client_for(salesperson)
    assert (
        client_for(owner).post(f"/security/users/{salesperson.pk}/end-sessions/").status_code == 302
    )
    assert target.get("/")["Location"].startswith("/accounts/login/")
    # A salesperson may not; a manager of another rooftop does not even see the user.
    peer = make_user(Role.SALESPERSON)
    assert (
        client_for(peer).post(f"/security/users/{salesperson.pk}/end-sessions/").status_code == 403
    )
    # Someone allowed to end sessions, but only at another rooftop: the user is not found.
    target = client_for(salesperson)
    outsider = make_user(None, rooftops=[other_rooftop])
    outsider.user_permissions.add(
        *Permission.objects.filter(codename__in=["delete_usersession", "view_user"])
    )
    response = client_for(outsider).post(f"/security/users/{salesperson.pk}/end-sessions/")
    assert response.status_code == 404
    assert target.get("/").status_code == 200


def test_session_cookie_flags(client_for, salesperson):
    client = Client()
    client.post("/accounts/login/", {"username": salesperson.email, "password": TEST_PASSWORD})
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_token_auth_is_not_a_session(client, salesperson, token_for):
    from forecourt.core.testing import bearer

    assert client.get("/api/v1/me", **bearer(token_for(salesperson))).status_code == 200
    assert not UserSession.objects.filter(user=salesperson).exists()
    assert ApiToken.objects.filter(user=salesperson).count() == 1
