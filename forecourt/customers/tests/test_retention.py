"""Retention: who is eligible for disposal, what anonymization removes and keeps, legal holds,
the nightly job and the report."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from forecourt.accounts.roles import Role
from forecourt.core.models import AuditEntry
from forecourt.core.scheduler import registered_jobs
from forecourt.customers.compliance import actions, retention
from forecourt.customers.models import Customer, OfacScreening
from forecourt.customers.tests.compliance_factories import (
    idle_customer,
    make_customer,
)

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


def test_anonymized_and_merged_customers_are_not_eligible(rooftop):
    winner = idle_customer(rooftop, RECENT)
    merged = idle_customer(rooftop, OLD, merged_into=winner, merged_at=timezone.now())
    done = idle_customer(rooftop, OLD, anonymized_at=timezone.now())
    assert not {merged.pk, done.pk} & _eligible_ids()


# --- anonymization -------------------------------------------------------------------------


def full_customer(rooftop):
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


def test_the_audit_entry_names_fields_and_never_values(rooftop, manager):
    customer = full_customer(rooftop)
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


def test_the_job_works_in_batches(rooftop):
    customers = [idle_customer(rooftop, OLD) for _ in range(5)]
    summary = actions.dispose_eligible_customers(days=DAYS, batch_size=2)
    assert summary["disposed"] == 5
    assert all(Customer.objects.get(pk=c.pk).anonymized_at for c in customers)


# --- the report ------------------------------------------------------------------------------


def test_the_report_needs_the_dispose_permission(salesperson):
    with pytest.raises(PermissionDenied):
        retention.upcoming_report(salesperson)


def test_the_report_csv_has_no_contact_or_sensitive_values(rooftop, manager):
    customer = full_customer(rooftop)
    text = retention.report_csv(manager)
    header, row = text.splitlines()
    assert header == ",".join(retention.CSV_COLUMNS)
    assert row.startswith(f"{customer.pk},{rooftop.code},Margaret Hamilton,")
    for secret in ("margaret@example.com", "6789", "1936", "Apollo", "+1617"):
        assert secret not in text
