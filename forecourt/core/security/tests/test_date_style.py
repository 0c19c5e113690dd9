"""Security pages write times as the rest of Forecourt does ("2026-11-26 14:15"), not in
Django's default "Nov. 26, 2026, 2:15 p.m."."""

import re

import pytest

from forecourt.accounts.models import User
from forecourt.core.security.testing import confirmed_totp_device

pytestmark = pytest.mark.django_db
APP_STYLE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d")
DJANGO_STYLE = re.compile(r"\b[A-Z][a-z]{2}\.? \d{1,2}, \d{4}")


def test_sessions_access_review_and_mfa_pages_use_the_app_date_style(client_for, owner):
    client = client_for(owner)
    client.get("/")  # the owner has signed in: a last sign-in and a session row
    User.objects.filter(pk=owner.pk).update(last_login="2031-03-04T16:05:00Z")
    confirmed_totp_device(owner)
    for url in ("/security/sessions/", "/security/access-review/", "/security/mfa/"):
        page = client.get(url).content.decode()
        assert APP_STYLE.search(page), url
        assert not DJANGO_STYLE.search(page), (url, DJANGO_STYLE.search(page))
