"""Merging duplicates: every related record moves (from any app), blanks are filled, the
duplicate stays as a pointer, consents keep the latest decision, and it is audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from forecourt.accounts.roles import Role
from forecourt.core.models import AuditEntry
from forecourt.customers import actions
from forecourt.customers.models import Customer
from forecourt.customers.tests.factories import make_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(make_user):
    return make_user(Role.SALES_MANAGER)


def test_blank_survivor_fields_are_filled_and_nothing_is_overwritten(manager, rooftop):
    survivor = make_customer(manager, rooftop, city="", tags=["vip"], notes="Likes SUVs")
    duplicate = make_customer(
        manager,
        rooftop,
        home_phone="775-555-0134",
        ssn="123-45-6789",
        date_of_birth="1980-02-03",
        address_line1="1 Main St",
        city="Reno",
        tags=["trade-in", "vip"],
        notes="Has a trade",
    )
    kept = actions.merge_customers(manager, survivor, duplicate)
    kept.refresh_from_db()
    assert kept.home_phone == "+17755550134"
    assert kept.ssn == "123-45-6789"
    assert kept.date_of_birth == dt.date(1980, 2, 3)
    assert (kept.address_line1, kept.city) == ("1 Main St", "Reno")
    assert kept.tags == ["vip", "trade-in"]
    assert kept.notes == "Likes SUVs\n\nHas a trade"
    assert kept.email == survivor.email  # kept; the duplicate's becomes the other email
    assert kept.alt_email == duplicate.email
    assert kept.version == survivor.version + 1
    entry = AuditEntry.objects.get(action="customers.merge_customer")
    assert "123-45-6789" not in str(entry.changes)
    assert entry.changes["ssn"] == ["", actions.HIDDEN]


def test_the_latest_consent_decision_wins(manager, rooftop):
    survivor = make_customer(manager, rooftop, consent_email=True)
    duplicate = make_customer(manager, rooftop)
    actions.record_consent(manager, duplicate, "email", False, "email", "unsubscribe link")
    kept = actions.merge_customers(manager, survivor, duplicate)
    assert kept.consent_email is False  # the opt-out came after the survivor's consent


def test_merge_rules(manager, make_user, rooftop, other_rooftop, salesperson):
    one = make_customer(manager, rooftop)
    two = make_customer(manager, rooftop)
    with pytest.raises(PermissionDenied):
        actions.merge_customers(salesperson, one, two)
    with pytest.raises(ValidationError):
        actions.merge_customers(manager, one, one)
    owner = make_user(Role.OWNER, rooftops=[rooftop, other_rooftop])
    elsewhere = make_customer(owner, other_rooftop)
    with pytest.raises(ValidationError, match="same rooftop"):
        actions.merge_customers(owner, one, elsewhere)
    actions.merge_customers(manager, one, two)
    with pytest.raises(ValidationError, match="already merged"):
        actions.merge_customers(manager, two, one)
    with pytest.raises(ValidationError, match="merged"):
        actions.update_customer(manager, two, {"city": "Reno"})


def test_a_merged_customer_leaves_search_and_duplicate_checks(manager, rooftop):
    survivor = make_customer(manager, rooftop)
    duplicate = make_customer(manager, rooftop, email="dup@example.com")
    actions.merge_customers(manager, survivor, duplicate)
    # the survivor now holds the address as its other email: still a duplicate of it
    with pytest.raises(actions.DuplicateCustomerError) as caught:
        make_customer(manager, rooftop, email="dup@example.com")
    assert caught.value.matches == [Customer.objects.get(pk=survivor.pk)]
    assert timezone.now() >= Customer.objects.get(pk=duplicate.pk).merged_at
