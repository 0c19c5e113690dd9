"""`forecourt setup`: the first rooftop and an owner invitation, refused once an owner exists."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from forecourt.accounts.models import Invitation, Rooftop, User
from forecourt.accounts.roles import Role
from forecourt.core.models import AuditEntry

pytestmark = pytest.mark.django_db

FLAGS = [
    "--email=Boss@Example.com",
    "--name=Pat Owner",
    "--rooftop-code=main",
    "--rooftop-name=Main Street Motors",
    "--country=GB",
    "--time-zone=Europe/London",
    "--no-input",
]


def _setup(*flags: str) -> str:
    out = StringIO()
    call_command("setup", *flags, stdout=out)
    return out.getvalue()


def test_setup_creates_the_rooftop_and_prints_an_owner_link_that_works():
    output = _setup(*FLAGS)
    rooftop = Rooftop.objects.get(code="main")
    assert (rooftop.country, rooftop.currency, rooftop.locale) == ("GB", "GBP", "en-GB")
    assert rooftop.time_zone == "Europe/London"
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.roles) == ("boss@example.com", [Role.OWNER.value])
    assert list(invitation.rooftops.all()) == [rooftop]
    assert AuditEntry.objects.get(action="accounts.create_rooftop").actor_label == "forecourt setup"
    link = re.search(r"/accounts/invitation/\?token=\S+", output)
    assert link is not None, output
    client = Client()
    client.get(link.group(0))
    response = client.post(
        "/accounts/invitation/accept/",
        {"password": "a-long-enough-passphrase", "password_again": "a-long-enough-passphrase"},
    )
    assert response.status_code == 302
    owner = User.objects.get(email="boss@example.com")
    assert owner.role_names == [Role.OWNER.value]
    assert owner.has_perm("accounts.add_rooftop")


def test_setup_is_refused_once_an_owner_exists_or_is_invited(make_user):
    _setup(*FLAGS)
    with pytest.raises(CommandError, match="An owner already exists"):
        _setup(*[f.replace("main", "second") for f in FLAGS])
    assert not Rooftop.objects.filter(code="second").exists()
    Invitation.objects.all().delete()
    make_user(Role.OWNER)
    with pytest.raises(CommandError, match="An owner already exists"):
        _setup(*[f.replace("main", "third") for f in FLAGS])


def test_setup_with_bad_values_creates_nothing():
    flags = [f if not f.startswith("--time-zone") else "--time-zone=Mars/Base" for f in FLAGS]
    with pytest.raises(CommandError, match=r"Nothing was created\. time_zone"):
        _setup(*flags)
    assert not Rooftop.objects.exists()
    assert not Invitation.objects.exists()


def test_setup_without_input_needs_the_values():
    with pytest.raises(CommandError, match="--email is required"):
        _setup("--no-input")


def test_setup_asks_interactively(monkeypatch):
    answers = iter(["pat@example.com", "Pat", "main", "Main Motors", "", ""])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    output = _setup()
    rooftop = Rooftop.objects.get(code="main")
    assert (rooftop.country, rooftop.currency, rooftop.time_zone) == (
        "US",
        "USD",
        "America/New_York",
    )
    assert "?token=" in output
