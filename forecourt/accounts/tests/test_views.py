import pytest
from django.test import Client

from forecourt.accounts.models import ApiToken
from forecourt.core.testing import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_pages_require_login():
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_login_with_email_reaches_dashboard(salesperson):
    from django_otp.oath import totp

    from forecourt.core.security.testing import confirmed_totp_device

    device = confirmed_totp_device(salesperson)
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": salesperson.email, "password": TEST_PASSWORD}, follow=True
    )
    verify_url = response.redirect_chain[-1][0]
    assert verify_url.startswith("/security/mfa/verify/")  # the second factor comes next
    response = client.post(verify_url, {"code": f"{totp(device.bin_key):06d}"}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/"
    assert f"Good day, {salesperson.get_short_name()}" in response.content.decode()


def test_wrong_password_shows_inline_error(salesperson):
    response = Client().post(
        "/accounts/login/", {"username": salesperson.email, "password": "nope-nope-nope"}
    )
    assert response.status_code == 200
    assert "Please enter a correct email and password" in response.content.decode()


def test_passwords_are_hashed_with_argon2id(salesperson):
    # At the test suite's lowered cost; production's is pinned in core/security/tests/test_rules.
    assert salesperson.password.startswith("argon2$argon2id$v=19$m=8,t=1,p=1$")


def test_navigation_follows_the_role(client_for, owner, salesperson):
    owner_page = client_for(owner).get("/").content.decode()
    sales_page = client_for(salesperson).get("/").content.decode()
    for label in ("Users", "API tokens", "Audit log"):
        assert f">{label}<" in owner_page
        assert f">{label}<" not in sales_page
    assert ">Rooftops<" in sales_page


def test_logout_is_post_only(client_for, salesperson):
    client = client_for(salesperson)
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_salesperson_cannot_open_admin_pages(client_for, salesperson):
    client = client_for(salesperson)
    for url in (
        "/accounts/users/",
        "/accounts/users/invite/",
        "/accounts/tokens/",
        "/accounts/tokens/new/",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "You do not have permission" in response.content.decode()


def test_token_created_in_the_ui_is_shown_once_then_revoked(client_for, owner, salesperson):
    client = client_for(owner)
    response = client.post(
        "/accounts/tokens/new/",
        {"user": salesperson.pk, "name": "Lot app", "scopes": ["read"], "expires_in_days": 30},
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(name="Lot app")
    raw = response.context["raw"]
    assert raw in response.content.decode()
    listing = client.get("/accounts/tokens/").content.decode()
    assert raw not in listing
    assert token.prefix in listing
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_unknown_page_is_a_styled_404(client_for, salesperson):
    response = client_for(salesperson).get("/no/such/page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_server_error_page_carries_the_request_id(rf):
    from forecourt.core.views import server_error

    request = rf.get("/")
    request.request_id = "req-abcdef12"
    response = server_error(request)
    assert response.status_code == 500
    assert "req-abcdef12" in response.content.decode()


def test_pages_carry_a_csp_nonce_on_scripts(client_for, salesperson):
    response = client_for(salesperson).get("/")
    policy = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()
