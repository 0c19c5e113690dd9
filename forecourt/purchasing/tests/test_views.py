"""The buying screens end to end through the test client (the same actions underneath)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from forecourt.accounts.models import Country, Currency
from forecourt.accounts.roles import Role
from forecourt.customers.actions import create_customer
from forecourt.inventory.models import Status, Vehicle
from forecourt.inventory.tests.factories import make_vin, receive
from forecourt.purchasing import actions
from forecourt.purchasing.models import PurchaseInvoice, SellerKind
from forecourt.purchasing.recon.models import ReconOrder
from forecourt.purchasing.stocking.models import Flooring
from forecourt.purchasing.tests.factories import auction, facility

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(make_user, rooftop):
    return make_user(Role.SALES_MANAGER, rooftops=[rooftop])


@pytest.fixture
def client(client_for, manager):
    return client_for(manager)


def purchase_post(seller, vins, prices):
    data = {
        "seller": seller.pk,
        "purchased_on": "2026-11-02",
        "seller_reference": "LOT-9",
        "payment_status": "unpaid",
        "payment_method": "",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "50",
    }
    for n, (vin, price) in enumerate(zip(vins, prices, strict=True)):
        data |= {
            f"lines-{n}-vin": vin,
            f"lines-{n}-year": "2021",
            f"lines-{n}-make": "Kia",
            f"lines-{n}-model": "Ceed",
            f"lines-{n}-price": price,
        }
    return data


def test_buy_three_floor_two_recon_to_line_through_the_screens(client, manager, rooftop):
    seller = auction(manager, rooftop)
    vins = [make_vin() for _ in range(3)]
    response = client.post(
        reverse("purchasing:purchase-new"), purchase_post(seller, vins, ["9000", "8000", "7000"])
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    invoice = PurchaseInvoice.objects.get()
    assert client.get(response["Location"]).status_code == 200
    line = facility(manager, rooftop)
    vehicles = [Vehicle.objects.get(vin=vin) for vin in vins]
    for vehicle in vehicles[:2]:
        client.post(
            reverse("purchasing:floor-vehicle", args=[vehicle.pk]),
            {"facility": line.pk, "purchase": invoice.pk},
        )
    assert Flooring.objects.count() == 2
    page = client.get(reverse("purchasing:facility-detail", args=[line.pk])).content.decode()
    assert "17.0%" in page  # 17,000 of 100,000
    client.post(reverse("purchasing:recon-start", args=[vehicles[0].pk]))
    order = ReconOrder.objects.get()
    client.post(
        reverse("purchasing:work-item-add", args=[order.pk]),
        {"description": "Valet", "estimate": "80"},
    )
    item = order.work_items.get()
    client.post(reverse("purchasing:work-item-update", args=[item.pk]), {"actual": "75"})
    response = client.post(
        reverse("purchasing:recon-move", args=[order.pk]),
        {"stage": "front_line", "version": order.version, "from": "board"},
    )
    assert response.status_code == 302
    vehicles[0].refresh_from_db()
    assert vehicles[0].status == Status.AVAILABLE
    assert vehicles[0].true_cost == Decimal("9075.00")
    for name in (
        "purchasing:recon-board",
        "purchasing:recon-numbers",
        "purchasing:incoming",
        "purchasing:purchase-list",
        "purchasing:seller-list",
        "purchasing:facility-list",
        "core:dashboard",
    ):
        assert client.get(reverse(name)).status_code == 200, name


def test_a_bad_purchase_form_shows_the_errors_on_the_row(client, manager, rooftop):
    seller = auction(manager, rooftop)
    response = client.post(
        reverse("purchasing:purchase-new"), purchase_post(seller, ["BAD"], ["9000"])
    )
    assert response.status_code == 422
    assert "VIN" in response.content.decode()
    empty = client.post(reverse("purchasing:purchase-new"), purchase_post(seller, [], []))
    assert "A purchase needs at least one vehicle." in empty.content.decode()
    assert PurchaseInvoice.objects.count() == 0


def test_private_seller_invoice_pdf_on_the_rooftop_paper(
    client, manager, make_rooftop, make_user, client_for
):
    uk = make_rooftop(country=Country.GB, currency=Currency.GBP, code="york")
    boss = make_user(Role.SALES_MANAGER, rooftops=[uk])
    customer = create_customer(
        boss,
        uk,
        {"first_name": "Sam", "last_name": "Private", "email": "sam@example.com"},
        allow_duplicate=True,
    )
    seller = actions.create_seller(boss, uk, kind=SellerKind.PRIVATE, customer=customer)
    invoice = actions.record_purchase(
        boss,
        uk,
        seller=seller,
        purchased_on=date(2026, 11, 2),
        lines=[
            {"vin": make_vin(), "year": 2019, "make": "Ford", "model": "Fiesta", "price": "6500"}
        ],
    )
    response = client_for(boss).get(reverse("purchasing:purchase-pdf", args=[invoice.pk]))
    assert response["Content-Type"] == "application/pdf"
    body = response.content
    assert body.startswith(b"%PDF")
    assert b"/MediaBox [0 0 595.28 841.89]" in body  # A4


def test_condition_pages_pdf_and_comparison(client, manager, rooftop):
    vehicle = receive(manager, rooftop)
    dent = {"id": "m1", "view": "left", "x": 150, "y": 90, "type": "dent", "severity": "minor"}
    first = actions.record_condition_report(
        manager, vehicle, occasion="purchase", signed_name="Pat", markers=[dent]
    )
    second = actions.record_condition_report(
        manager,
        vehicle,
        occasion="delivery",
        signed_name="Sam",
        markers=[dent, {**dent, "id": "m2", "view": "right", "y": 400, "type": "rust"}],
    )
    detail = client.get(reverse("purchasing:report-detail", args=[second.pk]))
    assert detail.status_code == 200
    assert detail.content.decode().count('class="marker marker-minor') == 2
    pdf = client.get(reverse("purchasing:report-pdf", args=[first.pk]))
    assert pdf.content.startswith(b"%PDF")
    assert b"/MediaBox [0 0 612.00 792.00]" in pdf.content  # Letter for a US rooftop
    page = client.get(
        reverse("purchasing:report-compare", args=[second.pk, first.pk])
    ).content.decode()
    assert "rust (minor) on the right" in page
    vehicle_page = client.get(
        reverse("inventory:vehicle-detail", args=[vehicle.pk])
    ).content.decode()
    assert "Buying, recon and condition" in vehicle_page
    assert reverse("purchasing:report-detail", args=[first.pk]) in vehicle_page


def test_overdue_incoming_stands_out_on_the_dashboard(client, manager, rooftop):
    actions.record_purchase(
        manager,
        rooftop,
        seller=auction(manager, rooftop),
        lines=[
            {
                "vin": make_vin(),
                "year": 2020,
                "make": "Kia",
                "model": "Rio",
                "price": "5000",
                "expected_on": date(2020, 1, 1),
            }
        ],
    )
    page = client.get(reverse("core:dashboard")).content.decode()
    assert "1 overdue" in page
    assert "Not arrived, Keys" in page
