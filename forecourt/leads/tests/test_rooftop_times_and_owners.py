"""Leads screens as a dealer reads them: times in the rooftop's time zone (not the server's UTC),
filter errors named as the screen labels them."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from forecourt.accounts.roles import Role
from forecourt.inventory.tests.factories import receive
from forecourt.leads import actions
from forecourt.leads.demo import seed_leads
from forecourt.leads.models import Activity
from forecourt.leads.tests.factories import make_customer, make_lead

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def chicago(make_rooftop):
    return make_rooftop(name="Springfield", time_zone="America/Chicago")


@pytest.fixture
def seller(make_user, chicago):
    return make_user(Role.SALESPERSON, rooftops=[chicago])


def test_timeline_shows_appointment_times_at_the_rooftop(client_for, seller, chicago):
    customer = make_customer(seller, chicago)
    starts = datetime(2031, 3, 4, 16, 0, tzinfo=UTC)  # 10:00 in Chicago (CST, UTC-6)
    actions.schedule_appointment(
        seller, customer, salesperson=seller, starts_at=starts,
        ends_at=starts + timedelta(hours=1), subject="Appraisal",
    )  # fmt: skip
    url = reverse("leads:customer-timeline", args=[customer.pk])
    html = client_for(seller).get(url, **HTMX).content.decode()
    assert "2031-03-04 10:00\u201311:00"  # 10:00-11:00 with an en dash in html
    assert "16:00" not in html


def test_appointment_form_reads_times_at_the_rooftop(client_for, seller, chicago):
    customer = make_customer(seller, chicago)
    slot = {
        "appt-salesperson": seller.pk,
        "appt-starts_at": "2031-03-04T10:00",
        "appt-ends_at": "2031-03-04T11:00",
    }
    web = client_for(seller)
    answer = web.post(reverse("leads:appointment-create", args=[customer.pk]), slot, **HTMX)
    assert "Appointment booked" in answer.content.decode()
    booked = Activity.objects.get(kind="appointment")
    assert booked.starts_at == datetime(2031, 3, 4, 16, 0, tzinfo=UTC)
    clash = web.post(reverse("leads:appointment-create", args=[customer.pk]), slot, **HTMX)
    assert "from 2031-03-04 10:00 to 11:00" in clash.content.decode()


def test_my_day_and_lead_page_show_rooftop_times(client_for, seller, chicago):
    customer = make_customer(seller, chicago)
    lead = make_lead(seller, chicago, customer)
    vehicle = receive(seller, chicago)
    drive = actions.start_test_drive(
        seller, customer, vehicle=vehicle, drivers_license_number="D12345678",
        drivers_license_state="IL", odometer_out=100,
        out_at=datetime(2031, 3, 4, 15, 30, tzinfo=UTC),
    )  # fmt: skip
    web = client_for(seller)
    my_day = web.get(reverse("leads:my-day")).content.decode()
    assert "out since 09:30 CST" in my_day
    Activity.objects.filter(pk=drive.pk).update(occurred_at=drive.out_at)
    lead_page = web.get(reverse("leads:lead-detail", args=[lead.pk])).content.decode()
    assert "out 09:30 at 100 mi" in lead_page
    created = lead.created_at.astimezone(ZoneInfo("America/Chicago"))
    assert f"{created:%-d %b %Y, %H:%M} C" in lead_page  # CST or CDT


def test_demo_appointment_is_at_ten_in_the_rooftops_time_zone(make_user, chicago):
    owner = make_user(Role.OWNER, rooftops=[chicago])
    make_user(Role.SALESPERSON, rooftops=[chicago])
    receive(owner, chicago)
    seed_leads([chicago])
    appointment = Activity.objects.get(kind="appointment")
    local = appointment.starts_at.astimezone(ZoneInfo("America/Chicago"))
    assert (local.hour, local.minute) == (10, 0)


def test_a_bad_filter_is_named_as_the_screen_labels_it(client_for, seller):
    web = client_for(seller)
    listing = web.get(reverse("leads:lead-list"), {"follow_up": "someday"}).content.decode()
    assert "Follow-up: one of overdue, today, none." in listing
    assert "follow_up:" not in listing
    board = web.get(reverse("leads:lead-board"), {"owner": "abc"}).content.decode()
    assert "Owner: must be a whole number." in board


def test_filter_forms_are_not_laid_out_as_one_row(client_for, seller):
    # Pico lays out every child of role="search" in one row: the filters were squeezed into
    # a column beside a stretched Search button. The forms sit in <search> instead.
    web = client_for(seller)
    for url, form_id in (
        (reverse("leads:lead-list"), "filters"),
        (reverse("leads:lead-board"), "board-filters"),
        ("/customers/", "filters"),
    ):
        html = web.get(url).content.decode()
        form_tag = html[html.index(f'<form id="{form_id}"') :].split(">", 1)[0]
        assert 'role="search"' not in form_tag, url
        assert "<search>" in html, url


def test_only_people_who_work_leads_are_offered_or_accepted(client_for, make_user, chicago):
    seller = make_user(Role.SALESPERSON, rooftops=[chicago], full_name="Sally Seller")
    manager = make_user(Role.SALES_MANAGER, rooftops=[chicago], full_name="Sam Desk")
    parts = make_user(Role.PARTS, rooftops=[chicago], full_name="Pat Parts")
    make_user(Role.TECHNICIAN, rooftops=[chicago], full_name="Terry Technician")
    customer = make_customer(seller, chicago)
    lead = make_lead(seller, chicago, customer)
    web = client_for(manager)
    listing = web.get(reverse("leads:lead-list")).content.decode()
    assert "Sally Seller" in listing
    assert "Pat Parts" not in listing
    assert "Terry Technician" not in listing
    timeline = web.get(reverse("leads:customer-timeline", args=[customer.pk])).content.decode()
    assert ">Sally Seller</option>" in timeline  # by name, not email
    assert "Pat Parts" not in timeline
    with pytest.raises(ValidationError, match="cannot own leads"):
        actions.reassign_leads(manager, [lead.pk], parts)
    starts = datetime(2031, 3, 4, 16, 0, tzinfo=UTC)
    with pytest.raises(ValidationError, match="Choose a salesperson"):
        actions.schedule_appointment(
            manager, customer, salesperson=parts, starts_at=starts,
            ends_at=starts + timedelta(hours=1),
        )  # fmt: skip
