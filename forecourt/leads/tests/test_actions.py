"""Leads and activities actions: pipeline, reassignment, consent, appointment and test-drive
conflicts, audit and the customer's last-activity date."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from forecourt.accounts.roles import Role
from forecourt.core.models import AuditEntry
from forecourt.customers.actions import record_consent
from forecourt.customers.models import Customer
from forecourt.inventory.tests.factories import receive
from forecourt.leads import actions
from forecourt.leads.models import Activity, Lead, LeadStatus
from forecourt.leads.tests.factories import make_customer, make_lead

pytestmark = pytest.mark.django_db

LICENCE = "D12345678"


@pytest.fixture
def manager(make_user, rooftop):
    return make_user(Role.SALES_MANAGER, rooftops=[rooftop])


@pytest.fixture
def customer(salesperson, rooftop):
    return make_customer(salesperson, rooftop, consent_call=True, consent_email=True)


# --- leads ---------------------------------------------------------------------------


def test_create_lead_owned_by_the_salesperson_audited_and_noted(salesperson, customer, rooftop):
    vehicle = receive(salesperson, rooftop)
    Customer.objects.filter(pk=customer.pk).update(
        last_activity_at=timezone.now() - timedelta(days=400)
    )
    lead = actions.create_lead(salesperson, customer, source="phone", vehicle=vehicle)
    assert lead.owner == salesperson
    assert lead.rooftop_id == rooftop.pk
    assert lead.status == LeadStatus.NEW
    entry = AuditEntry.objects.get(action="leads.create_lead", object_id=str(lead.pk))
    assert entry.changes["vehicle_id"] == [None, vehicle.pk]
    customer.refresh_from_db()
    assert timezone.now() - customer.last_activity_at < timedelta(minutes=1)


def test_vehicle_of_interest_must_be_in_stock_at_the_customers_rooftop(
    salesperson, customer, other_rooftop, owner
):
    elsewhere = receive(owner, other_rooftop)
    with pytest.raises(ValidationError) as refused:
        actions.create_lead(salesperson, customer, source="phone", vehicle=elsewhere)
    assert "vehicle" in refused.value.message_dict


def test_only_someone_who_works_leads_can_own_one(salesperson, make_user, customer, rooftop):
    technician = make_user(Role.TECHNICIAN, rooftops=[rooftop])
    with pytest.raises(ValidationError) as refused:
        actions.create_lead(salesperson, customer, source="phone", owner=technician)
    assert "cannot own leads" in refused.value.message_dict["owner"][0]
    assert not Lead.objects.exists()


def test_walk_in_creates_customer_and_lead_in_one_transaction(salesperson, rooftop):
    data = {"first_name": "Walk", "last_name": "Inn", "mobile_phone": "(415) 555-2671"}
    lead = actions.take_walk_in(salesperson, rooftop, data, vehicle_description="A pickup")
    assert lead.source == "walk_in"
    assert lead.customer.mobile_phone == "+14155552671"
    # A lead that fails (bad owner) leaves no customer behind.
    outsider = rooftop.__class__.objects.create(code="zz", name="Zed")
    from forecourt.accounts.models import User

    stranger = User.objects.create_user(email="s@example.com", password="x" * 20, full_name="S")
    stranger.rooftops.set([outsider])
    before = Customer.objects.count()
    with pytest.raises(ValidationError):
        actions.take_walk_in(
            salesperson, rooftop, {"first_name": "No", "email": "n@example.com"}, owner=stranger,
        )  # fmt: skip
    assert Customer.objects.count() == before


def test_pipeline_allows_only_legal_moves_and_lost_needs_a_reason(salesperson, customer):
    lead = make_lead(salesperson, customer.rooftop, customer)
    with pytest.raises(ValidationError) as illegal:
        actions.change_lead_status(salesperson, lead, to_status="won")
    assert "cannot become won" in str(illegal.value)
    for step in ("contacted", "appointment", "shown", "quoted"):
        lead = actions.change_lead_status(salesperson, lead, to_status=step)
    assert lead.version == 5
    with pytest.raises(ValidationError) as no_reason:
        actions.change_lead_status(salesperson, lead, to_status="lost")
    assert "lost_reason" in no_reason.value.message_dict
    lead = actions.change_lead_status(
        salesperson, lead, to_status="lost", lost_reason="price", lost_note="Too dear"
    )
    assert (lead.status, lead.lost_reason) == ("lost", "price")
    reopened = actions.change_lead_status(salesperson, lead, to_status="new")
    assert reopened.lost_reason == ""
    entries = AuditEntry.objects.filter(action="leads.change_lead_status", object_id=str(lead.pk))
    assert entries.count() == 6


def test_won_is_final(salesperson, customer):
    lead = make_lead(salesperson, customer.rooftop, customer)
    for step in ("shown", "won"):
        lead = actions.change_lead_status(salesperson, lead, to_status=step)
    with pytest.raises(ValidationError):
        actions.change_lead_status(salesperson, lead, to_status="lost", lost_reason="price")


def test_stale_version_is_refused(salesperson, customer):
    lead = make_lead(salesperson, customer.rooftop, customer)
    actions.update_lead(salesperson, lead, expected_version=1, notes="first")
    with pytest.raises(actions.LeadVersionConflict):
        actions.update_lead(salesperson, lead, expected_version=1, notes="second")
    assert Lead.objects.get(pk=lead.pk).notes == "first"


def test_update_refuses_status_and_owner(salesperson, customer):
    lead = make_lead(salesperson, customer.rooftop, customer)
    with pytest.raises(ValidationError) as refused:
        actions.update_lead(salesperson, lead, status="won", owner=None)
    assert set(refused.value.message_dict) == {"owner", "status"}


def test_reassign_is_for_managers_and_the_owner_must_work_at_the_rooftop(
    salesperson, manager, make_user, rooftop, other_rooftop, customer
):
    leads = [make_lead(salesperson, rooftop, customer) for _ in range(3)]
    colleague = make_user(Role.SALESPERSON, rooftops=[rooftop])
    elsewhere = make_user(Role.SALESPERSON, rooftops=[other_rooftop])
    with pytest.raises(PermissionDenied):
        actions.reassign_leads(salesperson, [lead.pk for lead in leads], colleague)
    result = actions.reassign_leads(manager, [lead.pk for lead in leads] + [999999], colleague)
    assert sorted(result.changed) == sorted(lead.pk for lead in leads)
    assert result.skipped == {999999: "not found"}
    assert set(Lead.objects.values_list("owner_id", flat=True)) == {colleague.pk}
    refused = actions.reassign_leads(manager, [leads[0].pk], elsewhere)
    assert refused.changed == []
    assert "does not work at" in refused.skipped[leads[0].pk]
    assert AuditEntry.objects.filter(action="leads.reassign_lead").count() == 3


# --- activities: consent -------------------------------------------------------------


def test_outbound_contact_needs_consent_inbound_is_always_logged(salesperson, rooftop):
    quiet = make_customer(salesperson, rooftop, consent_call=True)
    actions.log_activity(salesperson, quiet, kind="call", direction="outbound", body="Hi")
    with pytest.raises(ValidationError) as refused:
        actions.log_activity(salesperson, quiet, kind="sms", direction="outbound", body="Hi")
    assert "not consented" in str(refused.value)
    actions.log_activity(salesperson, quiet, kind="sms", direction="inbound", body="Is it there?")
    record_consent(salesperson, quiet, "call", False, "phone", note="Stop calling")
    quiet.refresh_from_db()
    with pytest.raises(ValidationError):
        actions.log_activity(salesperson, quiet, kind="call", direction="outbound")
    actions.log_activity(salesperson, quiet, kind="call", direction="inbound")
    assert Activity.objects.filter(customer=quiet).count() == 3


def test_a_call_needs_a_direction_and_a_note_a_body(salesperson, customer):
    with pytest.raises(ValidationError) as no_direction:
        actions.log_activity(salesperson, customer, kind="call")
    assert "direction" in no_direction.value.message_dict
    with pytest.raises(ValidationError) as empty:
        actions.log_activity(salesperson, customer, kind="note", body=" ")
    assert "body" in empty.value.message_dict


# --- appointments --------------------------------------------------------------------


def _slot(hours_from_now: float, length: float = 1.0):
    start = timezone.now().replace(microsecond=0) + timedelta(hours=hours_from_now)
    return start, start + timedelta(hours=length)


def test_no_double_booking_of_a_salesperson(salesperson, make_user, rooftop, customer):
    start, end = _slot(24)
    actions.schedule_appointment(
        salesperson, customer, salesperson=salesperson, starts_at=start, ends_at=end
    )
    other_customer = make_customer(salesperson, rooftop)
    overlapping = (start + timedelta(minutes=30), end + timedelta(minutes=30))
    with pytest.raises(ValidationError) as refused:
        actions.schedule_appointment(
            salesperson, other_customer, salesperson=salesperson,
            starts_at=overlapping[0], ends_at=overlapping[1],
        )  # fmt: skip
    assert "already has an appointment" in refused.value.message_dict["starts_at"][0]
    # Back to back is fine; so is another salesperson at the same time.
    actions.schedule_appointment(
        salesperson, other_customer, salesperson=salesperson, starts_at=end,
        ends_at=end + timedelta(hours=1),
    )  # fmt: skip
    colleague = make_user(Role.SALESPERSON, rooftops=[rooftop])
    actions.schedule_appointment(
        salesperson, other_customer, salesperson=colleague, starts_at=start, ends_at=end
    )


def test_booking_a_later_appointment_is_contact_today(salesperson, customer):
    start, end = _slot(24 * 30)  # a month ahead
    before = timezone.now()
    actions.schedule_appointment(
        salesperson, customer, salesperson=salesperson, starts_at=start, ends_at=end
    )
    customer.refresh_from_db()
    assert before <= customer.last_activity_at <= timezone.now()


def test_a_cancelled_appointment_frees_the_slot(salesperson, customer):
    start, end = _slot(48)
    booked = actions.schedule_appointment(
        salesperson, customer, salesperson=salesperson, starts_at=start, ends_at=end
    )
    actions.set_appointment_status(salesperson, booked, "cancelled")
    again = actions.schedule_appointment(
        salesperson, customer, salesperson=salesperson, starts_at=start, ends_at=end
    )
    assert again.appointment_status == "scheduled"


def test_appointment_salesperson_must_work_at_the_rooftop(
    salesperson, make_user, other_rooftop, customer
):
    start, end = _slot(5)
    stranger = make_user(Role.SALESPERSON, rooftops=[other_rooftop])
    with pytest.raises(ValidationError) as refused:
        actions.schedule_appointment(
            salesperson, customer, salesperson=stranger, starts_at=start, ends_at=end
        )
    assert "salesperson" in refused.value.message_dict
    with pytest.raises(ValidationError):
        actions.schedule_appointment(
            salesperson, customer, salesperson=salesperson, starts_at=end, ends_at=start
        )


# --- test drives ---------------------------------------------------------------------


def _start(actor, customer, vehicle, **extra):
    return actions.start_test_drive(
        actor,
        customer,
        vehicle=vehicle,
        drivers_license_number=extra.pop("licence", LICENCE),
        drivers_license_state="il",
        odometer_out=extra.pop("odometer_out", 42000),
        **extra,
    )


def test_test_drive_start_and_finish(salesperson, rooftop, customer):
    vehicle = receive(salesperson, rooftop)
    drive = _start(salesperson, customer, vehicle)
    assert drive.drivers_license_state == "IL"
    stored = Activity.objects.get(pk=drive.pk)
    assert stored.drivers_license_number == LICENCE  # decrypted on read
    from forecourt.core.security.pii import masked

    assert masked(stored, "drivers_license_number") == "*****5678"
    entry = AuditEntry.objects.get(action="leads.start_test_drive")
    assert LICENCE not in str(entry.changes)
    with pytest.raises(ValidationError) as backwards:
        actions.finish_test_drive(salesperson, drive, odometer_in=41999)
    assert "odometer_in" in backwards.value.message_dict
    finished = actions.finish_test_drive(salesperson, drive, odometer_in=42012)
    assert finished.odometer_in == 42012
    assert finished.in_at is not None
    with pytest.raises(ValidationError):
        actions.finish_test_drive(salesperson, drive, odometer_in=42020)
    # Once it is back, the vehicle can go out again.
    _start(salesperson, customer, vehicle, odometer_out=42012)


def test_a_vehicle_out_on_a_test_drive_cannot_start_another(salesperson, rooftop, customer):
    vehicle = receive(salesperson, rooftop)
    _start(salesperson, customer, vehicle)
    someone_else = make_customer(salesperson, rooftop)
    with pytest.raises(ValidationError) as refused:
        _start(salesperson, someone_else, vehicle)
    assert "already out on a test drive" in refused.value.message_dict["vehicle"][0]
    assert Activity.objects.filter(vehicle=vehicle, in_at__isnull=True).count() == 1


def test_the_database_refuses_a_second_open_test_drive(salesperson, rooftop, customer):
    from django.db import IntegrityError

    vehicle = receive(salesperson, rooftop)
    drive = _start(salesperson, customer, vehicle)
    twin = Activity(
        rooftop=rooftop, customer=customer, kind="test_drive", vehicle=vehicle, odometer_out=1
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
    assert drive.pk


def test_test_drive_needs_a_drivable_unit_and_a_licence(salesperson, rooftop, customer):
    incoming = receive(salesperson, rooftop, status="incoming")
    with pytest.raises(ValidationError) as refused:
        _start(salesperson, customer, incoming, licence="")
    assert set(refused.value.message_dict) == {"vehicle", "drivers_license_number"}


def test_roles_without_add_activity_are_refused(make_user, rooftop, customer):
    reader = make_user(Role.READ_ONLY, rooftops=[rooftop])
    with pytest.raises(PermissionDenied):
        actions.log_activity(reader, customer, kind="note", body="x")


def test_follow_up_date_is_set(salesperson, customer):
    lead = make_lead(salesperson, customer.rooftop, customer)
    updated = actions.set_follow_up(salesperson, lead, timezone.localdate())
    assert updated.next_follow_up_on == timezone.localdate()
    entry = AuditEntry.objects.filter(action="leads.update_lead").latest("id")
    assert entry.changes == {"next_follow_up_on": [None, timezone.localdate().isoformat()]}


def test_finishing_a_test_drive_moves_the_vehicles_odometer(salesperson, rooftop, customer):
    vehicle = receive(salesperson, rooftop, odometer=17901)
    drive = _start(salesperson, customer, vehicle, odometer_out=17901)
    actions.finish_test_drive(salesperson, drive, odometer_in=17915)
    vehicle.refresh_from_db()
    assert vehicle.odometer == 17915
    assert vehicle.version == 2
    entry = AuditEntry.objects.get(action="inventory.record_odometer")
    assert entry.changes["odometer"] == [17901, 17915]
    assert entry.actor == salesperson


def test_a_drive_reading_below_the_vehicles_odometer_is_refused(salesperson, rooftop, customer):
    vehicle = receive(salesperson, rooftop, odometer=30000)
    drive = _start(salesperson, customer, vehicle, odometer_out=20000)  # mistyped at the start
    with pytest.raises(ValidationError) as refused:
        actions.finish_test_drive(salesperson, drive, odometer_in=20012)
    assert "already reads 30,000" in refused.value.message_dict["odometer_in"][0]
    drive.refresh_from_db()
    vehicle.refresh_from_db()
    assert (drive.in_at, vehicle.odometer) == (None, 30000)
