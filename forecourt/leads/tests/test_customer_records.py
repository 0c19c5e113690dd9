"""The leads app's part in customers' records: what leads registers with customers
(forecourt/customers/registry.py, leads/apps.py) and what customers' generic machinery does
with leads' rows. An open lead or a vehicle out keeps a customer from disposal, disposal
erases leads' personal text, and a merge moves leads and activities to the survivor."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from forecourt.accounts.roles import Role
from forecourt.core.models import AuditEntry
from forecourt.customers import actions as customer_actions
from forecourt.customers.compliance import actions as compliance_actions
from forecourt.customers.compliance import retention
from forecourt.customers.models import Customer, CustomerConsent, OfacList, OfacScreening
from forecourt.customers.tests.compliance_factories import idle_customer
from forecourt.customers.tests.factories import make_customer
from forecourt.customers.tests.test_retention import DAYS, OLD, RECENT, full_customer
from forecourt.inventory.tests.factories import receive
from forecourt.leads.models import Activity, Lead

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _retention_period(monkeypatch):
    monkeypatch.setattr(retention, "retention_days", lambda: DAYS)


@pytest.fixture
def manager(make_user):
    return make_user(Role.SALES_MANAGER)


def make_lead(customer: Customer, **fields: Any) -> Lead:
    """A lead row written directly: the compliance actions take rows as they are."""
    return Lead.objects.create(
        rooftop_id=customer.rooftop_id, customer=customer, source="walk_in", **fields
    )


def make_activity(customer: Customer, **fields: Any) -> Activity:
    return Activity.objects.create(rooftop_id=customer.rooftop_id, customer=customer, **fields)


def _eligible_ids():
    return set(retention.eligible_for_disposal().values_list("pk", flat=True))


def test_an_open_lead_keeps_a_customer_and_a_closed_one_does_not(rooftop):
    customer = idle_customer(rooftop, OLD)
    lead = make_lead(customer, status="quoted")
    assert customer.pk not in _eligible_ids()
    assert "open business" in retention.blocker(customer)
    Lead.objects.filter(pk=lead.pk).update(status="lost", lost_reason="no_response")
    assert customer.pk in _eligible_ids()


def test_a_vehicle_out_on_a_test_drive_keeps_a_customer(rooftop, owner):
    customer = idle_customer(rooftop, OLD)
    vehicle = receive(owner, rooftop)
    drive = make_activity(
        customer, kind="test_drive", vehicle=vehicle, out_at=timezone.now(), odometer_out=10
    )
    assert customer.pk not in _eligible_ids()
    Activity.objects.filter(pk=drive.pk).update(in_at=timezone.now(), odometer_in=25)
    assert customer.pk in _eligible_ids()


def test_anonymization_removes_personal_data_and_keeps_the_business_records(
    rooftop, manager, owner
):
    customer = full_customer(rooftop)
    lead = make_lead(customer, status="won", notes="Wants a red one for her daughter Lauren.")
    note = make_activity(
        customer, lead=lead, kind="note", subject="Visit", body="Talked about her health."
    )
    vehicle = receive(owner, rooftop)
    drive = make_activity(
        customer,
        kind="test_drive",
        vehicle=vehicle,
        out_at=timezone.now() - timedelta(hours=2),
        in_at=timezone.now() - timedelta(hours=1),
        odometer_out=10,
        odometer_in=22,
        drivers_license_number="S12345678",
        drivers_license_state="MA",
    )
    consent = CustomerConsent.objects.create(
        customer=customer, channel="email", granted=True, source="in_person", note="Signed at desk"
    )
    version = customer.version

    done = compliance_actions.anonymize_customer(
        manager, customer, reason="Retention period ended."
    )

    stored = Customer.objects.get(pk=customer.pk)
    assert stored.display_name == f"Anonymized customer {customer.pk}"
    for name in ("first_name", "middle_name", "email", "alt_email", "mobile_phone", "home_phone",
                 "address_line1", "address_line2", "city", "postal_code", "notes",
                 "drivers_license_number", "drivers_license_state", "ssn", "employer"):  # fmt: skip
        assert getattr(stored, name) == "", name
    assert stored.date_of_birth is None
    assert stored.income is None
    assert stored.tags == []
    assert (stored.ssn_index, stored.ssn_last4_index, stored.date_of_birth_index) == ("", "", "")
    assert stored.region == "MA"  # kept: a state identifies nobody
    assert stored.country == "US"
    assert stored.anonymized_at is not None
    assert stored.version == version + 1
    assert done.anonymized_at == stored.anonymized_at
    # The business records stay, with their ids and dates, without personal text.
    lead.refresh_from_db()
    assert (lead.status, lead.notes, lead.customer_id) == ("won", "", customer.pk)
    note.refresh_from_db()
    assert (note.subject, note.body, note.lead_id) == ("", "", lead.pk)
    drive.refresh_from_db()
    assert (drive.drivers_license_number, drive.drivers_license_state) == ("", "")
    assert (drive.vehicle_id, drive.odometer_out, drive.odometer_in) == (vehicle.pk, 10, 22)
    consent.refresh_from_db()
    assert (consent.granted, consent.note) == (True, "")


def test_anonymization_is_refused_when_something_keeps_the_customer(rooftop, manager):
    held = idle_customer(rooftop, OLD, legal_hold=True, legal_hold_reason="Subpoena")
    with pytest.raises(ValidationError, match="legal hold"):
        compliance_actions.anonymize_customer(manager, held, reason="Retention period ended.")
    busy = idle_customer(rooftop, OLD)
    make_lead(busy)
    with pytest.raises(ValidationError, match="open business"):
        compliance_actions.anonymize_customer(manager, busy, reason="Retention period ended.")
    gone = idle_customer(rooftop, OLD)
    compliance_actions.anonymize_customer(manager, gone, reason="Retention period ended.")
    with pytest.raises(ValidationError, match="already anonymized"):
        compliance_actions.anonymize_customer(manager, gone, reason="Retention period ended.")
    assert AuditEntry.objects.filter(action="customers.anonymize").count() == 1


def test_the_nightly_job_disposes_only_eligible_customers(rooftop, other_rooftop, caplog):
    due = [idle_customer(rooftop, OLD), idle_customer(other_rooftop, OLD + 300)]
    recent = idle_customer(rooftop, RECENT)
    held = idle_customer(rooftop, OLD, legal_hold=True, legal_hold_reason="Subpoena")
    busy = idle_customer(rooftop, OLD)
    make_lead(busy, status="appointment")

    summary = compliance_actions.dispose_due_customers.enqueue().return_value

    assert summary == {"disposed": 2, "failed": 0}
    anonymized = set(
        Customer.objects.filter(anonymized_at__isnull=False).values_list("pk", flat=True)
    )
    assert anonymized == {c.pk for c in due}
    assert not {recent.pk, held.pk, busy.pk} & anonymized
    entries = AuditEntry.objects.filter(action="customers.anonymize")
    assert entries.count() == 2
    assert {e.actor_label for e in entries} == {"system"}
    assert "Customer" not in caplog.text  # counts only; no names reach the log
    # Nothing is left for the next night.
    assert compliance_actions.dispose_eligible_customers(days=DAYS) == {"disposed": 0, "failed": 0}


def test_the_report_lists_the_next_30_days_with_reasons_and_counts(rooftop, other_rooftop, manager):
    overdue = idle_customer(rooftop, OLD)
    in_two_weeks = idle_customer(rooftop, DAYS - 14)
    idle_customer(rooftop, DAYS - 45)  # due in 45 days: not yet
    idle_customer(rooftop, OLD, legal_hold=True, legal_hold_reason="Subpoena")
    busy = idle_customer(rooftop, DAYS - 5)
    make_lead(busy)
    idle_customer(other_rooftop, OLD)  # not the manager's rooftop

    report = retention.upcoming_report(manager)

    assert [row.customer_id for row in report.rows] == [overdue.pk, in_two_weeks.pk]
    assert (report.due_now, report.due_later, report.total) == (1, 1, 2)
    assert (report.kept_by_legal_hold, report.kept_by_open_business) == (1, 1)
    assert report.rows[0].overdue
    assert "next nightly run" in report.rows[0].reason
    assert (
        f"{in_two_weeks.last_activity_at + timedelta(days=DAYS):%Y-%m-%d}" in report.rows[1].reason
    )


def test_every_related_record_moves_to_the_survivor(manager, rooftop):
    survivor = make_customer(manager, rooftop, first_name="Ana", last_name="Diaz")
    duplicate = make_customer(manager, rooftop, consent_sms=True)
    older = make_customer(manager, rooftop)
    customer_actions.merge_customers(
        manager, duplicate, older
    )  # a pointer to the duplicate already
    sdn = OfacList.objects.create(version="v1", source_name="sdn.csv", sha256="0" * 64)
    OfacScreening.objects.create(
        customer=duplicate, sdn_list=sdn, screened_name="x", result="clear"
    )
    lead = Lead.objects.create(rooftop=rooftop, customer=duplicate, source="walk_in")
    note = Activity.objects.create(rooftop=rooftop, customer=duplicate, kind="note", lead=lead)

    customer_actions.merge_customers(manager, survivor, duplicate)

    assert Lead.objects.get(pk=lead.pk).customer_id == survivor.pk
    assert Activity.objects.get(pk=note.pk).customer_id == survivor.pk
    assert OfacScreening.objects.get().customer_id == survivor.pk
    assert CustomerConsent.objects.filter(customer=duplicate).count() == 0
    assert CustomerConsent.objects.filter(customer=survivor, channel="sms").count() == 1
    assert Customer.objects.get(pk=older.pk).merged_into_id == survivor.pk  # chain flattened
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == survivor.pk
    assert duplicate.merged_at is not None
    entry = AuditEntry.objects.get(action="customers.merge_customer", object_id=str(survivor.pk))
    moved = entry.changes["moved_records"][1]
    assert moved["leads.lead.customer"] == 1
    assert moved["leads.activity.customer"] == 1
    assert moved["customers.customerconsent.customer"] == 1
    assert moved["customers.customer.merged_into"] == 1
    assert entry.changes["merged_from"] == [None, duplicate.pk]
    assert AuditEntry.objects.filter(
        action="customers.merged_into", object_id=str(duplicate.pk)
    ).exists()
