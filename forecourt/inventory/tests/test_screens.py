"""What the inventory screens show a dealer: the list (exports, sort, labels, bulk actions),
the vehicle page (money, local times), the dashboard links, import error order, VIN decode."""

from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from forecourt.accounts.roles import Role
from forecourt.inventory import actions
from forecourt.inventory.imports import csv_import
from forecourt.inventory.models import ImportMode
from forecourt.inventory.tests.factories import make_vin, receive

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results"}


def test_export_links_export_what_the_list_shows(client_for, make_user, rooftop):
    manager = make_user(Role.SALES_MANAGER)
    client = client_for(manager)
    # The list shows the front line (available) by default: so must "Export this list".
    page = client.get("/inventory/").content.decode()
    assert 'href="/inventory/export.csv?status=available"' in page
    assert 'href="/inventory/export.xlsx?status=available"' in page
    # Filtering swaps only the results (htmx): the links come with them, filters included.
    partial = client.get("/inventory/", {"make": "Ford", "status": "sold"}, **HX).content.decode()
    assert 'href="/inventory/export.csv?status=sold&amp;make=Ford"' in partial


def test_a_columns_sort_survives_the_next_filter_change(client_for, salesperson):
    partial = client_for(salesperson).get("/inventory/", {"sort": "list_price"}, **HX)
    # The filters form submits this input (form="filters"); it is re-rendered with the results.
    assert '<input type="hidden" name="sort" value="list_price" form="filters">' in (
        partial.content.decode()
    )


def test_the_filter_form_is_not_laid_out_as_one_search_row(client_for, salesperson):
    page = client_for(salesperson).get("/inventory/").content.decode()
    form_tag = page.split('<form id="filters"', 1)[1].split(">", 1)[0]
    assert 'role="search"' not in form_tag  # Pico puts every child of role=search in one row
    assert "<search>" in page


def test_list_shows_status_labels_and_grouped_mileage(client_for, salesperson, rooftop):
    receive(salesperson, rooftop, status="in_reconditioning", odometer=123456)
    page = client_for(salesperson).get("/inventory/", {"status": "in_reconditioning"})
    text = page.content.decode()
    assert '<td data-label="Status"><span>In reconditioning' in text
    assert "in_reconditioning<" not in text
    assert '<td data-label="Miles">123,456</td>' in text


def test_bulk_actions_offer_only_what_the_user_may_do(client_for, make_user, salesperson):
    sales = client_for(salesperson).get("/inventory/").content.decode()
    assert '<option value="status">' in sales
    assert '<option value="publish">' not in sales  # needs inventory.change_vehicle
    assert 'name="rooftop" aria-label="Target rooftop"' not in sales
    manager = client_for(make_user(Role.SALES_MANAGER)).get("/inventory/").content.decode()
    assert '<option value="publish">' in manager
    assert '<option value="move">' in manager


def test_vehicle_page_shows_costs_and_history_in_the_rooftops_currency(
    client_for, make_user, other_rooftop
):
    manager = make_user(Role.GENERAL_MANAGER, rooftops=[other_rooftop])
    vehicle = receive(
        manager, other_rooftop, acquisition_cost=Decimal("15000"), list_price=Decimal("19995")
    )
    actions.add_cost(manager, vehicle, kind="reconditioning", amount=Decimal("1234.5"))
    actions.change_price(manager, vehicle, list_price=Decimal("18995"))
    actions.change_status(manager, vehicle, to_status="in_reconditioning")
    text = client_for(manager).get(f"/inventory/{vehicle.pk}/").content.decode()
    assert "<dd>£15,000.00</dd>" in text  # acquisition cost
    assert "<dd>£16,234.50</dd>" in text  # true cost
    assert '<td data-label="Amount">£1,234.50</td>' in text  # the added cost
    assert (
        '<td data-label="Price">List price</td><td data-label="From">£19,995.00</td>'
        '<td data-label="To">£18,995.00</td>'
    ) in text
    assert (
        '<td data-label="From">Available</td><td data-label="To">In reconditioning</td>'
    ) in text


def test_vehicle_page_times_are_the_rooftops_local_time(client_for, make_user, make_rooftop):
    chicago = make_rooftop(name="Springfield", time_zone="America/Chicago")
    manager = make_user(Role.GENERAL_MANAGER, rooftops=[chicago])
    vehicle = receive(manager, chicago)
    expires = timezone.now().replace(second=0, microsecond=0) + timedelta(days=2)
    actions.hold_vehicle(manager, vehicle, deal_reference="D-9", expires_at=expires)
    text = client_for(manager).get(f"/inventory/{vehicle.pk}/").content.decode()
    local = expires.astimezone(ZoneInfo("America/Chicago"))
    assert f"until {local:%-d %b %Y, %H:%M %Z}." in text  # CST/CDT, not the server's UTC


def test_a_model_year_far_in_the_future_is_refused(client_for, make_user, rooftop, salesperson):
    vehicle = receive(salesperson, rooftop)
    latest = timezone.localdate().year + 2
    with pytest.raises(ValidationError) as refused:
        receive(salesperson, rooftop, year=latest + 1)
    assert "check for a typo" in str(refused.value.message_dict["year"])
    receive(salesperson, rooftop, year=latest)  # next year's models are on sale
    manager = client_for(make_user(Role.SALES_MANAGER))
    form = manager.get(f"/inventory/{vehicle.pk}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(year=latest + 40, acquired_on=vehicle.acquired_on.isoformat())
    response = manager.post(f"/inventory/{vehicle.pk}/edit/", data)
    assert response.status_code == 422
    assert "is not on sale yet" in response.content.decode()


@pytest.mark.usefixtures("media_root")
def test_import_errors_are_reported_in_row_order(manager, rooftop):
    vin = make_vin()
    bad_vin = vin[:8] + ("0" if vin[8] != "0" else "1") + vin[9:]  # wrong check digit
    header = "VIN,Year,Make,Model,Acquisition Source,Odometer\n"
    rows = (
        f"{bad_vin},2020,Honda,Accord,auction,100\n"  # row 2: a rule error (VIN)
        f"{make_vin()},2020,Honda,Accord,auction,abc\n"  # row 3: a parse error
        ",2020,Honda,Accord,auction,100\n"  # row 4: a rule error (no VIN)
    )
    job = actions.start_import(
        manager,
        rooftop=rooftop,
        upload=ContentFile((header + rows).encode(), name="v.csv"),
        original_name="v.csv",
        mode=ImportMode.VALID_ROWS,
    )
    csv_import.process_import.enqueue(job.pk)
    job.refresh_from_db()
    assert [e["row"] for e in job.errors] == [2, 3, 4]


def test_dashboard_in_stock_links_list_every_in_stock_unit(client_for, salesperson, rooftop):
    incoming = receive(salesperson, rooftop, status="incoming")
    client = client_for(salesperson)
    page = client.get("/").content.decode()
    statuses = (
        "status=incoming&amp;status=in_reconditioning&amp;status=available&amp;status=on_hold"
    )
    link = f'href="/inventory/?rooftop={rooftop.pk}&amp;{statuses}"'
    assert link in page  # not just ?rooftop=: the list alone shows only available units
    assert f'href="/inventory/?rooftop={rooftop.pk}&amp;{statuses}&amp;days_min=91"' in page
    listed = client.get(link[6:-1].replace("&amp;", "&")).content.decode()
    assert incoming.stock_number in listed
    assert '<select name="status" multiple size="4">' in listed  # keeps all four on refiltering


def test_the_decoded_vin_reads_as_a_sentence(client_for, salesperson):
    response = client_for(salesperson).get("/inventory/receive/", {"vin": "1HGCM82633A004352"})
    text = " ".join(response.content.decode().split())  # as the browser shows it
    # Not "2003 Honda Honda of America United States": make, maker and country set apart.
    assert "2003 Honda · made by Honda of America · United States" in text
