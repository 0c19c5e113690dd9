"""Demo customers: valid E.164 phones and emails, identifiers on a few, idempotent top-up
(COPY on PostgreSQL, with encryption and blind indexes like a save)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from forecourt.accounts.models import Rooftop
from forecourt.core.security.fields import BlindIndexField
from forecourt.customers.contact import normalize_email, normalize_phone
from forecourt.customers.demo import generate
from forecourt.customers.models import Customer


def test_generated_customers_have_valid_normalised_contacts():
    us = Rooftop(pk=1, country="US")
    gb = Rooftop(pk=2, country="GB")
    rows = list(generate(600, [us, gb], {}))
    for customer in rows:
        country = "GB" if customer.rooftop_id == 2 else "US"
        assert normalize_phone(customer.mobile_phone, country) == customer.mobile_phone
        if customer.email:
            assert normalize_email(customer.email) == customer.email
    assert len({c.mobile_phone for c in rows}) == 600
    assert sum(c.preferred_language == "es" for c in rows) > 20
    assert all(c.ssn for c in rows[:20] if c.rooftop_id == 1)


@pytest.mark.django_db
def test_seed_demo_adds_customers_once_and_they_are_searchable(capsys):
    call_command("seed_demo", "--quiet-logins", "--vehicles", "0", "--customers", "40")
    assert Customer.objects.count() == 40
    call_command("seed_demo", "--quiet-logins", "--vehicles", "0", "--customers", "40")
    assert Customer.objects.count() == 40
    assert "0 customer(s) added" in capsys.readouterr().out
    with_ssn = Customer.objects.exclude(ssn_last4_index="").order_by("pk").first()
    assert with_ssn is not None
    last4 = with_ssn.ssn[-4:]
    wanted = BlindIndexField.lookup_value(Customer, "ssn_last4_index", last4)
    assert with_ssn in Customer.objects.filter(ssn_last4_index=wanted)
    # Every granted consent has its history row, and only those; a top-up adds none twice.
    from forecourt.customers.models import CustomerConsent

    granted = sum(c.consent_call + c.consent_sms + c.consent_email for c in Customer.objects.all())
    history = CustomerConsent.objects.filter(granted=True, source="import")
    assert history.count() == granted > 0
    assert {(h.customer.consents()[h.channel]) for h in history.select_related("customer")} == {
        True
    }
