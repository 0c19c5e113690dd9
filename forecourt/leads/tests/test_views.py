"""Leads screens: board (htmx moves), list with filters and bulk reassign, walk-in, lead page,
My day, the customer timeline partial and its forms."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forecourt.accounts.roles import Role
from forecourt.customers.models import Customer
from forecourt.inventory.tests.factories import receive
from forecourt.leads import actions
from forecourt.leads.models import Activity, Lead
from forecourt.leads.tests.factories import make_customer, make_lead

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def web(client_for, salesperson):
    return client_for(salesperson)


@pytest.fixture
def customer(salesperson, rooftop):
    return make_customer(salesperson, rooftop, first_name="Carla", consent_call=True)


def test_board_shows_columns_and_an_htmx_move_changes_status(web, salesperson, rooftop, customer):
    lead = make_lead(salesperson, rooftop, customer)
    page = web.get(reverse("leads:lead-board"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Carla" in html
    assert 'id="column-quoted"' in html
    moved = web.post(
        reverse("leads:lead-status", args=[lead.pk]),
        {"from": "board", "status": "contacted", "version": lead.version},
        **HTMX,
    )
    assert moved.status_code == 200
    assert 'id="board"' in moved.content.decode()
    assert "<html" not in moved.content.decode()
    assert Lead.objects.get(pk=lead.pk).status == "contacted"
    refused = web.post(
        reverse("leads:lead-status", args=[lead.pk]),
        {"from": "board", "status": "lost", "version": 2},
        **HTMX,
    )
    assert refused.status_code == 200
    assert "Say why the lead was lost" in refused.content.decode()
    assert Lead.objects.get(pk=lead.pk).status == "contacted"


def test_list_filters_and_bulk_reassign(client_for, make_user, salesperson, rooftop, customer):
    leads = [make_lead(salesperson, rooftop, customer) for _ in range(3)]
    actions.set_follow_up(salesperson, leads[0], timezone.localdate() - timedelta(days=2))
    manager = make_user(Role.SALES_MANAGER, rooftops=[rooftop])
    colleague = make_user(Role.SALESPERSON, rooftops=[rooftop], full_name="Colleague Two")
    web = client_for(manager)
    overdue = web.get(reverse("leads:lead-list"), {"follow_up": "overdue"}).content.decode()
    assert f'name="ids" value="{leads[0].pk}"' in overdue
    assert f'name="ids" value="{leads[1].pk}"' not in overdue
    partial = web.get(reverse("leads:lead-list"), {"q": "Carla"}, HTTP_HX_TARGET="results", **HTMX)
    assert "<html" not in partial.content.decode()
    assert "Carla" in partial.content.decode()
    response = web.post(
        reverse("leads:lead-reassign"),
        {"ids": [lead.pk for lead in leads], "owner": colleague.pk, "return_query": ""},
    )
    assert response.status_code == 302
    assert set(Lead.objects.values_list("owner_id", flat=True)) == {colleague.pk}
    # A salesperson cannot.
    denied = client_for(salesperson).post(
        reverse("leads:lead-reassign"), {"ids": [leads[0].pk], "owner": salesperson.pk}
    )
    assert denied.status_code == 403


def test_walk_in_creates_customer_and_lead_and_offers_duplicates(web, rooftop, salesperson):
    vehicle = receive(salesperson, rooftop)
    form = {
        "rooftop": rooftop.pk,
        "kind": "person",
        "first_name": "Wally",
        "last_name": "Walker",
        "mobile_phone": "415 555 0123",
        "email": "",
        "preferred_language": "en",
        "consent_sms": "on",
        "source": "walk_in",
        "vehicle": vehicle.pk,
    }
    response = web.post(reverse("leads:lead-walk-in"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    lead = Lead.objects.get()
    assert response["Location"] == reverse("leads:lead-detail", args=[lead.pk])
    assert (lead.customer.mobile_phone, lead.customer.consent_sms) == ("+14155550123", True)
    again = web.post(reverse("leads:lead-walk-in"), form)
    assert again.status_code == 422
    assert "may already be on file" in again.content.decode()  # with links to the records
    assert Customer.objects.count() == 1
    anyway = web.post(reverse("leads:lead-walk-in"), {**form, "allow_duplicate": "on"})
    assert anyway.status_code == 302
    assert Customer.objects.count() == 2
    empty = web.post(reverse("leads:lead-walk-in"), {"rooftop": rooftop.pk, "source": "walk_in"})
    assert empty.status_code == 422


def test_lead_page_sets_follow_up_and_my_day_shows_it(web, salesperson, rooftop, customer):
    lead = make_lead(salesperson, rooftop, customer)
    late = make_lead(salesperson, rooftop, make_customer(salesperson, rooftop, first_name="Olga"))
    actions.set_follow_up(salesperson, late, timezone.localdate() - timedelta(days=3))
    assert web.get(reverse("leads:lead-detail", args=[lead.pk])).status_code == 200
    today = timezone.localdate().isoformat()
    response = web.post(
        reverse("leads:lead-follow-up", args=[lead.pk]), {"next_follow_up_on": today}
    )
    assert response.status_code == 302
    day = web.get(reverse("leads:my-day")).content.decode()
    overdue, _, rest = day.partition("<h3>Today</h3>")
    assert "Olga" in overdue
    assert "Carla" in rest


def test_my_day_appointments_test_drives_and_quick_actions(
    client_for, make_user, salesperson, rooftop, customer
):
    start = timezone.now().replace(microsecond=0)
    start = max(start, timezone.localtime(start).replace(hour=0, minute=1))
    actions.schedule_appointment(
        salesperson, customer, salesperson=salesperson, starts_at=start,
        ends_at=start + timedelta(minutes=30), subject="Trade appraisal",
    )  # fmt: skip
    vehicle = receive(salesperson, rooftop, odometer=100)
    drive = actions.start_test_drive(
        salesperson, customer, vehicle=vehicle, drivers_license_number="D12345678",
        drivers_license_state="IL", odometer_out=100,
    )  # fmt: skip
    lead = make_lead(salesperson, rooftop, customer, next_follow_up_on=timezone.localdate())
    web = client_for(salesperson)
    page = web.get(reverse("leads:my-day")).content.decode()
    assert "Trade appraisal" in page
    assert vehicle.stock_number in page
    assert "*****5678" in page
    assert "D12345678" not in page
    colleague = make_user(Role.SALESPERSON, rooftops=[rooftop])
    assert (
        vehicle.stock_number
        not in client_for(colleague).get(reverse("leads:my-day")).content.decode()
    )
    manager = make_user(Role.SALES_MANAGER, rooftops=[rooftop])
    assert vehicle.stock_number in client_for(manager).get(reverse("leads:my-day")).content.decode()
    web.post(reverse("leads:lead-log-call", args=[lead.pk]), {"body": "Left a message"})
    assert Activity.objects.filter(kind="call", lead=lead, body="Left a message").exists()
    web.post(
        reverse("leads:test-drive-finish", args=[drive.pk]), {"odometer_in": 112, "from": "my-day"}
    )
    assert Activity.objects.get(pk=drive.pk).odometer_in == 112


def test_timeline_partial_and_its_forms(web, salesperson, rooftop, customer):
    url = reverse("leads:customer-timeline", args=[customer.pk])
    assert url == f"/leads/customers/{customer.pk}/timeline/"
    partial = web.get(url, **HTMX)
    assert partial.status_code == 200
    assert f'id="timeline-{customer.pk}"' in partial.content.decode()
    assert "<html" not in partial.content.decode()
    logged = web.post(
        reverse("leads:activity-log", args=[customer.pk]),
        {"log-kind": "sms", "log-direction": "outbound", "log-body": "Hi"},
        **HTMX,
    )
    assert logged.status_code == 200
    assert "has not consented" in logged.content.decode()
    logged = web.post(
        reverse("leads:activity-log", args=[customer.pk]),
        {"log-kind": "call", "log-direction": "outbound", "log-body": "Spoke about trade"},
        **HTMX,
    )
    assert "Spoke about trade" in logged.content.decode()
    vehicle = receive(salesperson, rooftop)
    drive = {
        "drive-vehicle": vehicle.pk, "drive-drivers_license_number": "D7654321",
        "drive-drivers_license_state": "IL", "drive-odometer_out": 10,
    }  # fmt: skip
    started = web.post(reverse("leads:test-drive-start", args=[customer.pk]), drive, **HTMX)
    assert "***4321" in started.content.decode()
    assert "D7654321" not in started.content.decode()
    twice = web.post(reverse("leads:test-drive-start", args=[customer.pk]), drive, **HTMX)
    assert "already out on a test drive" in twice.content.decode()
    start = (timezone.localtime() + timedelta(days=1)).replace(second=0, microsecond=0)
    slot = {
        "appt-salesperson": salesperson.pk,
        "appt-starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "appt-ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    }
    web.post(reverse("leads:appointment-create", args=[customer.pk]), slot, **HTMX)
    clash = web.post(reverse("leads:appointment-create", args=[customer.pk]), slot, **HTMX)
    assert "already has an appointment" in clash.content.decode()
    assert Activity.objects.filter(kind="appointment").count() == 1


def test_other_rooftops_pages_are_not_found(web, owner, other_rooftop):
    theirs = make_lead(owner, other_rooftop, make_customer(owner, other_rooftop))
    assert web.get(reverse("leads:lead-detail", args=[theirs.pk])).status_code == 404
    url = reverse("leads:customer-timeline", args=[theirs.customer_id])
    assert web.get(url).status_code == 404


def test_reveal_licence_button_for_managers_only(
    client_for, make_user, salesperson, rooftop, customer
):
    vehicle = receive(salesperson, rooftop)
    drive = actions.start_test_drive(
        salesperson, customer, vehicle=vehicle, drivers_license_number="D12345678",
        drivers_license_state="IL", odometer_out=1,
    )  # fmt: skip
    url = reverse("leads:reveal-licence", args=[drive.pk])
    timeline = reverse("leads:customer-timeline", args=[customer.pk])
    assert "Reveal" not in client_for(salesperson).get(timeline, **HTMX).content.decode()
    assert client_for(salesperson).post(url, **HTMX).status_code == 403
    manager = client_for(make_user(Role.SALES_MANAGER, rooftops=[rooftop]))
    assert "Reveal" in manager.get(timeline, **HTMX).content.decode()
    answer = manager.post(url, **HTMX)
    assert answer.status_code == 200
    assert "D12345678" in answer.content.decode()
