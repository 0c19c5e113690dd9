"""My day puts the number to call next to "Log call" (and says when the customer did not
agree to calls); the walk-in's duplicate warning links to each existing record."""

from __future__ import annotations

import pytest
from django.utils import timezone

from forecourt.accounts.roles import Role
from forecourt.leads.tests.factories import make_customer, make_lead

pytestmark = pytest.mark.django_db


def test_my_day_shows_the_phone_next_to_log_call(make_user, rooftop, client_for):
    seller = make_user(Role.SALESPERSON)
    agreed = make_customer(seller, rooftop, mobile_phone="+14155550142", consent_call=True)
    refused = make_customer(seller, rooftop, mobile_phone="+14155550199", consent_call=False)
    today = timezone.localdate()
    for customer in (agreed, refused):
        make_lead(seller, rooftop, customer, owner=seller, next_follow_up_on=today)
    page = client_for(seller).get("/leads/my-day/").content.decode()
    assert '<a href="tel:+14155550142" class="call-phone">+1 415-555-0142</a>' in page
    after_refused = page.split("+1 415-555-0199</a>", 1)[1][:80]
    assert "(no call consent)" in after_refused
    assert "(no call consent)" not in page.split("+1 415-555-0142</a>", 1)[1][:40]


def test_the_walk_in_duplicate_warning_links_to_the_existing_record(make_user, rooftop, client_for):
    seller = make_user(Role.SALESPERSON)
    existing = make_customer(seller, rooftop, first_name="Wendy", last_name="Walkin",
                             mobile_phone="+14155550142")  # fmt: skip
    response = client_for(seller).post(
        "/leads/walk-in/",
        {"rooftop": rooftop.pk, "kind": "person", "first_name": "Wendy", "last_name": "Walkin",
         "mobile_phone": "(415) 555-0142", "preferred_language": "en", "source": "walk_in"},
    )  # fmt: skip
    assert response.status_code == 422
    text = response.content.decode()
    assert f'<a href="/customers/{existing.pk}/">Wendy Walkin</a>' in text
    assert "Open the existing record" in text
