"""Password rules (NIST 800-63B) and the reset-by-email flow."""

import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from forecourt.accounts.models import User
from forecourt.core.security.models import UserSession
from forecourt.core.testing import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def problems(password, user=None):
    try:
        validate_password(password, user)
    except ValidationError as error:
        return [e.code for e in error.error_list]
    return []


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("short-pass1", "password_too_short"),  # 11 characters
        ("x" * 129, "password_too_long"),
        ("password1234", "password_too_common"),
        ("my-forecourt-login-2026", "password_context_word"),
        ("springfield-is-lovely-in-june", "password_context_word"),  # a rooftop's name
    ],
)
def test_weak_passwords_are_refused(rooftop, password, code):
    assert code in problems(password)


def test_long_plain_passphrases_are_welcome_without_composition_rules():
    assert problems("lowercase words only here") == []
    assert problems("a" * 12 + "z" * 116) == []  # 128 characters
    assert problems(TEST_PASSWORD) == []


def test_the_users_own_email_is_refused(make_user):
    user = make_user(email="marguerite.okafor@dealerco.com")
    assert "password_context_word" in problems("okafor-rules-the-lot", user)
    assert "password_context_word" in problems("dealerco-staff-2026!", user)


def reset_link(email_body):
    return re.search(r"http://testserver(/security/password-reset/[^\s]+)", email_body)[1]


def test_reset_link_works_once_and_ends_every_session(salesperson, client_for):
    other = client_for(salesperson)
    response = Client().post("/security/password-reset/", {"email": salesperson.email.upper()})
    assert response["Location"] == "/security/password-reset/sent/"
    assert len(mail.outbox) == 1
    link = reset_link(mail.outbox[0].body)
    client = Client()
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    new_password = "a brand new passphrase for me"
    done = client.post(set_url, {"new_password1": new_password, "new_password2": new_password})
    assert done["Location"] == "/security/password-reset/done/"
    salesperson.refresh_from_db()
    assert salesperson.check_password(new_password)
    assert not UserSession.objects.filter(user=salesperson).exists()
    assert other.get("/")["Location"].startswith("/accounts/login/")
    # The same link again: refused.
    again = Client().get(link, follow=True)
    assert "This link no longer works" in again.content.decode()


def test_reset_applies_the_password_rules(salesperson):
    Client().post("/security/password-reset/", {"email": salesperson.email})
    client = Client()
    set_url = client.get(reset_link(mail.outbox[0].body), follow=True).redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": "short", "new_password2": "short"})
    assert response.status_code == 200
    assert User.objects.get(pk=salesperson.pk).check_password(TEST_PASSWORD)


def test_unknown_addresses_get_the_same_answer_and_no_mail():
    response = Client().post("/security/password-reset/", {"email": "nobody@example.com"})
    assert response["Location"] == "/security/password-reset/sent/"
    assert mail.outbox == []


def test_reset_mails_are_limited_per_address(salesperson):
    for n in range(5):
        response = Client().post(
            "/security/password-reset/", {"email": salesperson.email}, REMOTE_ADDR=f"192.0.2.{n}"
        )
        assert response["Location"] == "/security/password-reset/sent/"
    assert len(mail.outbox) == 3


def test_reset_mails_are_limited_per_address_of_the_requester(make_user):
    users = [make_user() for _ in range(22)]
    for user in users:
        Client().post("/security/password-reset/", {"email": user.email}, REMOTE_ADDR="192.0.2.50")
    assert len(mail.outbox) == 20
