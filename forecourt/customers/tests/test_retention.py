"""Retention: who is eligible for disposal, what anonymization removes and keeps, legal holds,
the nightly job and the report."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from forecourt.accounts.roles import Role
from forecourt.core.models import AuditEntry
from forecourt.core.scheduler import registered_jobs
from forecourt.customers.compliance import actions, retention
from forecourt.customers.models import Customer, CustomerConsent, OfacScreening
from forecourt.customers.tests.compliance_factories import (
    idle_customer,
    make_activity,
    make_customer,
    make_lead,
)
from forecourt.inventory.tests.factories import receive
from forecourt.leads.models import Activity, Lead

pytestmark = pytest.mark.django_db

DAYS = 730
OLD = DAYS + 10  # idle past the retention period
RECENT = 100


@pytest.fixture(autouse=True)
def _retention_period(monkeypatch):
    monkeypatch.setattr(retention, "retention_days", lambda: DAYS)


@pytest.fixture
def manager(make_user):
    return make_user(Role.SALES_MANAGER)


def _eligible_ids():
    return set(retention.eligible_for_disposal().values_list("pk", flat=True))


# --- eligibility -----------------------------------------------------------------------------


def test_only_customers_idle_past_the_period_are_eligible(rooftop):
    old = idle_customer(rooftop, OLD)
    recent = idle_customer(rooftop, RECENT)
    assert old.pk in _eligible_ids()
    assert recent.pk not in _eligible_ids()
    assert retention.blocker(old) == ""


def test_a_legal_hold_keeps_a_customer(rooftop, manager):
    held = idle_customer(rooftop, OLD)
    actions.set_legal_hold(manager, held, reason="Litigation: Smith v. Dealer, case 24-118.")
    assert held.pk not in _eligible_ids()
    assert (
        retention.blocker(Customer.objects.get(pk=held.pk)) == "A legal hold keeps this customer."
    )
    actions.lift_legal_hold(manager, held, reason="Case settled and closed.")
    assert held.pk in _eligible_ids()


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


def test_anonymized_and_merged_customers_are_not_eligible(rooftop):
    winner = idle_customer(rooftop, RECENT)
    merged = idle_customer(rooftop, OLD, merged_into=winner, merged_at=timezone.now())
    done = idle_customer(rooftop, OLD, anonymized_at=timezone.now())
    assert not {merged.pk, done.pk} & _eligible_ids()


# --- anonymization -------------------------------------------------------------------------


def _full_customer(rooftop):
    return idle_customer(
        rooftop,
        OLD,
        first_name="Margaret",
        middle_name="Ann",
        last_name="Hamilton",
        email="margaret@example.com",
        alt_email="mh@example.org",
        mobile_phone="+16175550100",
        home_phone="+16175550101",
        address_line1="1 Apollo Way",
        address_line2="Suite 11",
        city="Boston",
        region="MA",
        postal_code="02139",
        notes="Prefers morning calls; divorced in 2019.",
        tags=["vip", "referral"],
        date_of_birth=date(1936, 8, 17),
        drivers_license_number="S12345678",
        drivers_license_state="MA",
        ssn="123-45-6789",
        employer="MIT",
        income=Decimal("150000"),
    )


def test_anonymization_removes_personal_data_and_keeps_the_business_records(
    rooftop, manager, owner
):
    customer = _full_customer(rooftop)
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

    done = actions.anonymize_customer(manager, customer, reason="Retention period ended.")

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


def test_the_audit_entry_names_fields_and_never_values(rooftop, manager):
    customer = _full_customer(rooftop)
    actions.anonymize_customer(manager, customer, reason="Retention period ended.")
    entry = AuditEntry.objects.get(action="customers.anonymize")
    assert entry.actor == manager
    assert entry.object_id == str(customer.pk)
    assert entry.object_repr == f"Anonymized customer {customer.pk}"
    removed = entry.changes["fields_removed"][1]
    assert {"ssn", "date_of_birth", "email", "first_name", "notes", "tags"} <= set(removed)
    text = str(entry.changes) + entry.object_repr
    for secret in ("Margaret", "Hamilton", "123-45-6789", "6789", "margaret@example.com",
                   "1936", "S12345678", "MIT", "150000", "Apollo", "divorced"):  # fmt: skip
        assert secret not in text


def test_records_merged_into_the_customer_are_anonymized_with_it(rooftop, manager):
    customer = idle_customer(rooftop, OLD)
    merged = make_customer(
        rooftop,
        first_name="Peggy",
        ssn="987-65-4321",
        merged_into=customer,
        merged_at=timezone.now(),
    )
    actions.anonymize_customer(manager, customer, reason="Retention period ended.")
    merged.refresh_from_db()
    assert merged.first_name == ""
    assert merged.ssn == ""
    assert merged.anonymized_at is not None


def test_anonymization_is_refused_when_something_keeps_the_customer(rooftop, manager):
    held = idle_customer(rooftop, OLD, legal_hold=True, legal_hold_reason="Subpoena")
    with pytest.raises(ValidationError, match="legal hold"):
        actions.anonymize_customer(manager, held, reason="Retention period ended.")
    busy = idle_customer(rooftop, OLD)
    make_lead(busy)
    with pytest.raises(ValidationError, match="open business"):
        actions.anonymize_customer(manager, busy, reason="Retention period ended.")
    gone = idle_customer(rooftop, OLD)
    actions.anonymize_customer(manager, gone, reason="Retention period ended.")
    with pytest.raises(ValidationError, match="already anonymized"):
        actions.anonymize_customer(manager, gone, reason="Retention period ended.")
    assert AuditEntry.objects.filter(action="customers.anonymize").count() == 1


def test_anonymization_needs_the_dispose_permission_and_the_rooftop(
    rooftop, other_rooftop, make_user
):
    customer = idle_customer(rooftop, OLD)
    with pytest.raises(PermissionDenied):
        actions.anonymize_customer(make_user(Role.SALESPERSON), customer, reason="Too old now.")
    outsider = make_user(Role.SALES_MANAGER, rooftops=[other_rooftop])
    with pytest.raises(PermissionDenied):
        actions.anonymize_customer(outsider, customer, reason="Too old now.")
    assert Customer.objects.get(pk=customer.pk).anonymized_at is None


def test_screenings_keep_their_result_but_not_the_name(rooftop, manager, salesperson):
    from forecourt.customers.tests.test_ofac import ALIASES, SDN

    actions.import_sdn_list(None, SDN, aliases_path=ALIASES, version="t")
    customer = idle_customer(rooftop, OLD, first_name="Ivan", last_name="Petrov")
    screening = actions.screen_customer(salesperson, customer)
    actions.anonymize_customer(manager, customer, reason="Retention period ended.")
    screening.refresh_from_db()
    assert screening.screened_name == f"Anonymized customer {customer.pk}"
    assert screening.result == "possible_match"
    assert OfacScreening.objects.filter(customer=customer).count() == 1


# --- legal hold ------------------------------------------------------------------------------


def test_legal_holds_need_the_permission_and_a_reason_and_are_audited(
    rooftop, salesperson, manager
):
    customer = make_customer(rooftop)
    with pytest.raises(PermissionDenied):
        actions.set_legal_hold(salesperson, customer, reason="Litigation pending.")
    with pytest.raises(ValidationError) as error:
        actions.set_legal_hold(manager, customer, reason=" ")
    assert "reason" in error.value.message_dict
    held = actions.set_legal_hold(manager, customer, reason="Litigation pending.")
    assert (held.legal_hold, held.legal_hold_reason) == (True, "Litigation pending.")
    lifted = actions.lift_legal_hold(manager, customer, reason="Litigation over.")
    assert (lifted.legal_hold, lifted.legal_hold_reason) == (False, "")
    with pytest.raises(ValidationError, match="no legal hold"):
        actions.lift_legal_hold(manager, customer, reason="Lift it twice.")
    assert list(
        AuditEntry.objects.filter(object_id=str(customer.pk))
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["customers.legal_hold_set", "customers.legal_hold_lift"]


# --- the nightly job ------------------------------------------------------------------------


def test_the_job_is_scheduled_daily():
    job = next(j for j in registered_jobs() if j.name == "customers.retention_disposal")
    assert job.schedule.daily_at is not None


def test_the_nightly_job_disposes_only_eligible_customers(rooftop, other_rooftop, caplog):
    due = [idle_customer(rooftop, OLD), idle_customer(other_rooftop, OLD + 300)]
    recent = idle_customer(rooftop, RECENT)
    held = idle_customer(rooftop, OLD, legal_hold=True, legal_hold_reason="Subpoena")
    busy = idle_customer(rooftop, OLD)
    make_lead(busy, status="appointment")

    summary = actions.dispose_due_customers.enqueue().return_value

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
    assert actions.dispose_eligible_customers(days=DAYS) == {"disposed": 0, "failed": 0}


def test_the_job_works_in_batches(rooftop):
    customers = [idle_customer(rooftop, OLD) for _ in range(5)]
    summary = actions.dispose_eligible_customers(days=DAYS, batch_size=2)
    assert summary["disposed"] == 5
    assert all(Customer.objects.get(pk=c.pk).anonymized_at for c in customers)


# --- the report ------------------------------------------------------------------------------


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


def test_the_report_needs_the_dispose_permission(salesperson):
    with pytest.raises(PermissionDenied):
        retention.upcoming_report(salesperson)


def test_the_report_csv_has_no_contact_or_sensitive_values(rooftop, manager):
    customer = _full_customer(rooftop)
    text = retention.report_csv(manager)
    header, row = text.splitlines()
    assert header == ",".join(retention.CSV_COLUMNS)
    assert row.startswith(f"{customer.pk},{rooftop.code},Margaret Hamilton,")
    for secret in ("margaret@example.com", "6789", "1936", "Apollo", "+1617"):
        assert secret not in text
