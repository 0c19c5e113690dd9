"""MFA: enforcement, enrolment, verification, replay and staleness, recovery codes."""

import re
import time

import pytest
from django.test import Client, override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from forecourt.accounts.demo import DEMO_DOMAIN
from forecourt.core.config import ConfigError, load_config
from forecourt.core.models import AuditEntry
from forecourt.core.security.mfa import PENDING_TOTP_KEY
from forecourt.core.security.testing import confirmed_totp_device

pytestmark = pytest.mark.django_db


def code_for(device, seconds_ago=0):
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    generator.time = time.time() - seconds_ago
    return f"{generator.token():06d}"


def pending_device(client, user):
    return TOTPDevice(user=user, key=client.session[PENDING_TOTP_KEY])


def signed_in_without_mfa(user):
    client = Client()
    client.force_login(user)
    return client


def test_user_without_a_device_is_sent_to_enrolment_and_can_do_nothing_else(salesperson):
    client = signed_in_without_mfa(salesperson)
    for path in ["/", "/accounts/rooftops/", "/security/sessions/", "/accounts/users/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/security/mfa/setup/?next="), path
    # The API does not accept a password-only session at all.
    assert client.get("/api/v1/me").status_code == 401
    # Signing out and the health checks stay reachable.
    assert client.get("/health/live").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").headers["Location"].startswith("/accounts/login/")


def test_enrolment_shows_an_svg_qr_and_confirms_with_a_code(salesperson):
    client = signed_in_without_mfa(salesperson)
    page = client.get("/security/mfa/setup/?next=/").content.decode()
    assert 'src="data:image/svg+xml;base64,' in page
    assert "style=" not in page  # the strict CSP forbids inline styles
    assert not TOTPDevice.objects.exists()  # a GET writes nothing; the secret waits in the session
    device = pending_device(client, salesperson)
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page)[1]
    assert secret.replace(" ", "") in device.config_url
    assert client.get("/security/mfa/setup/").content.decode().count(secret) == 1  # same QR
    # A wrong code saves nothing.
    wrong_code = "000000" if code_for(device) != "000000" else "111111"
    assert "not right" in client.post("/security/mfa/setup/", {"code": wrong_code}).content.decode()
    assert not TOTPDevice.objects.exists()
    response = client.post("/security/mfa/setup/", {"code": code_for(device), "next": "/"})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(codes) == 10
    assert set(codes) == set(
        StaticToken.objects.filter(device__user=salesperson).values_list("token", flat=True)
    )
    device = TOTPDevice.objects.get(user=salesperson)
    assert device.confirmed
    assert client.get("/").status_code == 200
    # The code that confirmed the app cannot be replayed to sign in.
    other = signed_in_without_mfa(salesperson)
    assert other.post("/security/mfa/verify/", {"code": code_for(device)}).status_code == 200
    assert AuditEntry.objects.filter(action="security.enrol_totp", actor=salesperson).exists()


def test_a_user_with_a_device_must_verify_before_any_page(salesperson):
    device = confirmed_totp_device(salesperson)
    client = signed_in_without_mfa(salesperson)
    response = client.get("/accounts/rooftops/")
    assert response["Location"] == "/security/mfa/verify/?next=%2Faccounts%2Frooftops%2F"
    # Enrolling another authenticator is not a way around verification.
    assert client.get("/security/mfa/setup/")["Location"].startswith("/security/mfa/verify/")
    response = client.post(response["Location"], {"code": code_for(device)})
    assert response["Location"] == "/accounts/rooftops/"
    assert client.get("/accounts/rooftops/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200


def test_a_replayed_code_is_refused(salesperson):
    device = confirmed_totp_device(salesperson)
    code = code_for(device)
    first = signed_in_without_mfa(salesperson)
    assert first.post("/security/mfa/verify/", {"code": code})["Location"] == "/"
    second = signed_in_without_mfa(salesperson)
    response = second.post("/security/mfa/verify/", {"code": code})
    assert response.status_code == 200
    assert "already used" in response.content.decode()
    assert second.get("/")["Location"].startswith("/security/mfa/verify/")


def test_a_stale_code_is_refused(salesperson):
    device = confirmed_totp_device(salesperson)
    client = signed_in_without_mfa(salesperson)
    stale = code_for(device, seconds_ago=3 * device.step)
    if stale == code_for(device):  # pragma: no cover - one chance in a million
        pytest.skip("the stale and current codes collide")
    response = client.post("/security/mfa/verify/", {"code": stale})
    assert response.status_code == 200
    assert client.get("/")["Location"].startswith("/security/mfa/verify/")


def test_recovery_codes_work_once(salesperson):
    client = signed_in_without_mfa(salesperson)
    client.get("/security/mfa/setup/")
    device = pending_device(client, salesperson)
    response = client.post("/security/mfa/setup/", {"code": code_for(device)})
    code = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())[0]
    other = signed_in_without_mfa(salesperson)
    assert other.post("/security/mfa/verify/", {"code": code.upper()})["Location"] == "/"
    assert not StaticToken.objects.filter(token=code).exists()
    assert AuditEntry.objects.filter(action="security.use_recovery_code").count() == 1
    third = signed_in_without_mfa(salesperson)
    assert third.post("/security/mfa/verify/", {"code": code}).status_code == 200
    assert third.get("/")["Location"].startswith("/security/mfa/verify/")


@pytest.mark.parametrize(
    ("env", "setting", "exempt"),
    [
        ("development", None, True),  # `make run` lets a newcomer straight in
        ("development", "false", False),
        ("test", "true", False),
    ],
)
def test_demo_exemption_is_development_only(monkeypatch, env, setting, exempt):
    monkeypatch.setenv("FORECOURT_ENV", env)
    if setting is None:
        monkeypatch.delenv("MFA_DEMO_EXEMPT", raising=False)
    else:
        monkeypatch.setenv("MFA_DEMO_EXEMPT", setting)
    assert load_config().mfa_demo_exempt_enabled is exempt


def test_production_refuses_the_demo_exemption(monkeypatch):
    monkeypatch.setenv("FORECOURT_ENV", "production")
    monkeypatch.setenv("MFA_DEMO_EXEMPT", "true")
    with pytest.raises(ConfigError, match="MFA_DEMO_EXEMPT"):
        load_config()


@override_settings(FORECOURT_MFA_DEMO_EXEMPT=True)
def test_exempt_demo_accounts_get_in_with_a_banner_and_others_do_not(make_user):
    demo = make_user(email=f"sales@{DEMO_DOMAIN}")
    page = signed_in_without_mfa(demo).get("/")
    assert page.status_code == 200
    assert 'class="banner-warning"' in page.content.decode()
    assert "skip two-factor" in page.content.decode()
    other = make_user()
    assert signed_in_without_mfa(other).get("/")["Location"].startswith("/security/mfa/setup/")


def test_no_banner_when_mfa_is_enforced(client_for, salesperson):
    assert "banner-warning" not in client_for(salesperson).get("/").content.decode()
