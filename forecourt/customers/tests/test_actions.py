"""Customer actions: normalisation, validation, consents, duplicates, audit, rooftops."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from forecourt.accounts.roles import Role
from forecourt.core.models import AuditEntry
from forecourt.core.security.fields import BlindIndexField
from forecourt.customers import actions
from forecourt.customers.consent import may_contact
from forecourt.customers.contact import normalize_email, normalize_phone
from forecourt.customers.models import Customer, CustomerConsent
from forecourt.customers.tests.factories import make_customer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "country", "expected"),
    [
        ("(415) 555-2671", "US", "+14155552671"),
        ("415.555.2671", "US", "+14155552671"),
        ("+1 415 555 2671", "GB", "+14155552671"),
        ("020 7946 0958", "GB", "+442079460958"),
    ],
)
def test_phones_are_normalised_to_e164(raw, country, expected):
    assert normalize_phone(raw, country) == expected


@pytest.mark.parametrize("raw", ["12", "not a phone", "(000) 000-0000", ""])
def test_bad_phones_raise_a_clear_message(raw):
    with pytest.raises(ValidationError) as caught:
        normalize_phone(raw)
    assert "phone number" in caught.value.messages[0]


def test_emails_are_validated_and_lower_cased():
    assert normalize_email("  Ana.Diaz@Example.COM ") == "ana.diaz@example.com"
    with pytest.raises(ValidationError, match="not a valid email"):
        normalize_email("ana@")


def test_walk_in_needs_a_name_and_one_way_to_reach_them(salesperson, rooftop):
    with pytest.raises(ValidationError) as caught:
        actions.create_customer(salesperson, rooftop, {"first_name": "Ana"})
    errors = caught.value.message_dict
    assert set(errors) == {"last_name", "mobile_phone"}
    business = actions.create_customer(
        salesperson, rooftop, {"kind": "business", "business_name": "Acme", "email": "A@B.CO"}
    )
    assert business.display_name == "Acme"
    assert business.email == "a@b.co"


def test_create_normalises_audits_and_hides_sensitive_values(salesperson, rooftop):
    customer = actions.create_customer(
        salesperson,
        rooftop,
        {
            "first_name": " Ana ",
            "last_name": "Diaz",
            "mobile_phone": "(415) 555-2671",
            "email": "ANA@EXAMPLE.COM",
            "ssn": "123456789",
            "date_of_birth": "1987-04-02",
            "income": "85000",
            "tags": "VIP, trade-in, vip",
            "preferred_language": "es",
        },
    )
    customer.refresh_from_db()
    assert (customer.first_name, customer.mobile_phone, customer.email) == (
        "Ana",
        "+14155552671",
        "ana@example.com",
    )
    assert customer.ssn == "123-45-6789"
    assert customer.date_of_birth == dt.date(1987, 4, 2)
    assert customer.income == Decimal("85000.00")
    assert customer.tags == ["vip", "trade-in"]
    assert customer.country == "US"
    assert customer.created_by == salesperson
    entry = AuditEntry.objects.get(action="customers.create_customer")
    assert entry.changes["ssn"] == [None, actions.HIDDEN]
    assert entry.changes["date_of_birth"] == [None, actions.HIDDEN]
    assert "123-45-6789" not in str(entry.changes)
    assert "1987" not in str(entry.changes)
    assert not any("index" in key for key in entry.changes)


def test_phone_country_comes_from_the_rooftop(make_user, other_rooftop):
    manager = make_user(Role.SALES_MANAGER, rooftops=[other_rooftop])
    customer = make_customer(manager, other_rooftop, mobile_phone="07911 123456")
    assert customer.mobile_phone == "+447911123456"
    assert customer.country == "GB"


def test_field_errors_are_collected_together(salesperson, rooftop):
    with pytest.raises(ValidationError) as caught:
        actions.create_customer(
            salesperson,
            rooftop,
            {
                "first_name": "Ana",
                "last_name": "Diaz",
                "email": "nope",
                "mobile_phone": "12",
                "ssn": "12345",
                "date_of_birth": "2999-01-01",
                "income": "-5",
            },
        )
    assert set(caught.value.message_dict) == {
        "email",
        "mobile_phone",
        "ssn",
        "date_of_birth",
        "income",
    }
    assert not Customer.objects.exists()


def test_assigned_salesperson_must_work_at_the_rooftop(
    salesperson, make_user, rooftop, other_rooftop
):
    elsewhere = make_user(Role.SALESPERSON, rooftops=[other_rooftop])
    with pytest.raises(ValidationError) as caught:
        make_customer(salesperson, rooftop, assigned_salesperson=elsewhere)
    assert "assigned_salesperson" in caught.value.message_dict
    customer = make_customer(salesperson, rooftop, assigned_salesperson=salesperson.pk)
    assert customer.assigned_salesperson == salesperson


def test_other_rooftop_and_read_only_are_refused(make_user, rooftop, other_rooftop):
    elsewhere = make_user(Role.SALESPERSON, rooftops=[other_rooftop])
    with pytest.raises(PermissionDenied):
        make_customer(elsewhere, rooftop)
    with pytest.raises(PermissionDenied):
        make_customer(make_user(Role.READ_ONLY), rooftop)


# --- consents ---------------------------------------------------------------------------


def test_consents_given_on_create_are_recorded_per_channel(salesperson, rooftop):
    customer = make_customer(salesperson, rooftop, consent_sms=True, consent_email=False)
    rows = {c.channel: c for c in CustomerConsent.objects.filter(customer=customer)}
    assert set(rows) == {"sms", "email"}
    assert rows["sms"].granted is True
    assert rows["sms"].source == "in_person"
    assert rows["sms"].recorded_by == salesperson
    assert may_contact(customer, "sms") is True
    assert may_contact(customer, "email") is False
    assert may_contact(customer, "call") is False  # never asked: no consent


def test_opting_out_is_recorded_and_honoured(salesperson, rooftop):
    customer = make_customer(salesperson, rooftop, consent_call=True, consent_sms=True)
    assert may_contact(customer, "call")
    row = actions.record_consent(salesperson, customer, "call", False, "phone", "asked to stop")
    customer.refresh_from_db()
    assert customer.consent_call is False
    assert may_contact(customer, "call") is False
    assert may_contact(customer, "sms") is True
    assert (row.granted, row.source, row.note, row.recorded_by) == (
        False,
        "phone",
        "asked to stop",
        salesperson,
    )
    assert customer.consent_history.filter(channel="call").count() == 2
    entry = AuditEntry.objects.get(action="customers.record_consent")
    assert entry.changes["consent_call"] == [True, False]


def test_consent_needs_an_address_for_the_channel(salesperson, rooftop):
    customer = make_customer(salesperson, rooftop, email="", consent_email=True, consent_sms=True)
    assert may_contact(customer, "email") is False
    assert may_contact(customer, "sms") is True
    customer.mobile_phone = ""
    assert may_contact(customer, "sms") is False


def test_a_merged_customer_is_never_contacted(owner, rooftop):
    survivor = make_customer(owner, rooftop)
    duplicate = make_customer(owner, rooftop, consent_email=True)
    actions.merge_customers(owner, survivor, duplicate)
    duplicate.refresh_from_db()
    assert may_contact(duplicate, "email") is False


def test_bad_consent_input_is_refused(salesperson, rooftop):
    customer = make_customer(salesperson, rooftop)
    with pytest.raises(ValidationError) as caught:
        actions.record_consent(salesperson, customer, "fax", True, "phone")
    assert "channel" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        actions.record_consent(salesperson, customer, "sms", True, "carrier pigeon")
    assert "source" in caught.value.message_dict


def test_changing_a_consent_flag_on_update_records_history(salesperson, rooftop):
    customer = make_customer(salesperson, rooftop)
    actions.update_customer(salesperson, customer, {"consent_email": True})
    assert customer.consent_history.get().granted is True
    assert may_contact(Customer.objects.get(pk=customer.pk), "email")


# --- duplicates ----------------------------------------------------------------------------


def test_same_email_in_another_format_is_a_duplicate(salesperson, rooftop):
    first = make_customer(salesperson, rooftop, email="ana@example.com")
    with pytest.raises(actions.DuplicateCustomerError) as caught:
        make_customer(salesperson, rooftop, email=" ANA@example.com")
    assert caught.value.matches == [first]
    assert "__all__" in caught.value.message_dict


def test_same_phone_in_any_phone_field_is_a_duplicate(salesperson, rooftop):
    first = make_customer(salesperson, rooftop, work_phone="415-555-2671")
    with pytest.raises(actions.DuplicateCustomerError) as caught:
        make_customer(salesperson, rooftop, mobile_phone="(415) 555 2671")
    assert caught.value.matches == [first]


def test_same_name_and_date_of_birth_is_a_duplicate(salesperson, rooftop):
    first = make_customer(
        salesperson, rooftop, first_name="Ana", last_name="Diaz", date_of_birth="1987-04-02"
    )
    with pytest.raises(actions.DuplicateCustomerError) as caught:
        make_customer(
            salesperson, rooftop, first_name="ana", last_name="DIAZ", date_of_birth="1987-04-02"
        )
    assert caught.value.matches == [first]
    make_customer(
        salesperson, rooftop, first_name="Ana", last_name="Diaz", date_of_birth="1990-01-01"
    )


def test_duplicates_are_per_rooftop_and_can_be_overridden(
    owner, rooftop, other_rooftop, salesperson
):
    first = make_customer(owner, rooftop, email="ana@example.com")
    make_customer(owner, other_rooftop, email="ana@example.com")  # another rooftop: fine
    second = make_customer(salesperson, rooftop, email="ana@example.com", allow_duplicate=True)
    entry = AuditEntry.objects.get(action="customers.create_customer", object_id=str(second.pk))
    assert entry.changes["created_despite_duplicates"] == [None, [first.pk]]


# --- updates ------------------------------------------------------------------------------


def test_update_checks_version_and_audits_only_changes(salesperson, rooftop):
    customer = make_customer(salesperson, rooftop, ssn="123-45-6789")
    with pytest.raises(actions.CustomerVersionConflict):
        actions.update_customer(salesperson, customer, {"city": "Reno"}, expected_version=9)
    updated = actions.update_customer(
        salesperson,
        customer,
        {"city": "Reno", "ssn": "876-54-4321", "preferred_language": "es"},
        expected_version=1,
    )
    assert updated.version == 2
    updated.refresh_from_db()
    assert updated.ssn == "876-54-4321"
    wanted = BlindIndexField.lookup_value(Customer, "ssn_last4_index", "4321")
    assert Customer.objects.filter(ssn_last4_index=wanted).get() == updated
    entry = AuditEntry.objects.get(action="customers.update_customer")
    # Personal details are audited as changed, never by value (the log outlives disposal).
    assert entry.changes["city"] == ["", actions.HIDDEN]
    assert entry.changes["preferred_language"] == ["en", "es"]
    assert entry.changes["ssn"] == [actions.HIDDEN, actions.HIDDEN]
    assert "4321" not in str(entry.changes)
    assert "Reno" not in str(entry.changes)
    unchanged = actions.update_customer(salesperson, updated, {"city": "Reno"})
    assert unchanged.version == 2


def test_note_customer_activity_only_moves_forward(salesperson, rooftop):
    customer = make_customer(salesperson, rooftop)
    now = timezone.now()
    Customer.objects.filter(pk=customer.pk).update(last_activity_at=now - dt.timedelta(days=10))
    later = now - dt.timedelta(days=2)
    actions.note_customer_activity(customer.pk, later)
    actions.note_customer_activity(customer.pk, later - dt.timedelta(days=5))
    customer.refresh_from_db()
    assert customer.last_activity_at == later
    assert customer.version == 1


def test_a_future_activity_counts_as_contact_now(salesperson, rooftop):
    """Booking next month's appointment must not push retention's clock into the future."""
    customer = make_customer(salesperson, rooftop)
    before = timezone.now()
    actions.note_customer_activity(customer, before + dt.timedelta(days=30))
    customer.refresh_from_db()
    assert before <= customer.last_activity_at <= timezone.now()
