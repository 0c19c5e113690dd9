"""The deal screens, the PDFs and the margin-scheme stock book."""

import csv
import io
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from forecourt.accounts.roles import Role
from forecourt.deals import actions
from forecourt.deals.documents import MARGIN_STATEMENT, render_document
from forecourt.deals.models import DealSettings, TaxRule
from forecourt.deals.numbers import deal_numbers
from forecourt.deals.tests.factories import car, desk, trade_fields, us_customer, us_setup
from forecourt.inventory import actions as inventory
from forecourt.leads import actions as leads

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def deliver(seller, manager, deal, odometer=42000):
    actions.approve_deal(manager, deal)
    actions.contract_deal(seller, deal)
    due = deal_numbers(deal).totals.balance_due
    if due > 0:
        actions.take_payment(seller, deal, method="card", amount=due)
    return actions.deliver_deal(seller, deal, odometer=odometer)


def test_jacket_live_numbers_and_inline_errors(owner, rooftop, salesperson, client_for):
    us_setup(owner, rooftop)
    deal = desk(salesperson, rooftop, price="25000.00")
    client = client_for(salesperson)
    page = client.get(f"/deals/{deal.pk}/")
    assert page.status_code == 200
    assert b"Balance due" in page.content
    assert b"Front gross" not in page.content  # a salesperson does not see gross
    form = {"version": deal.version, "price": "24000.00", "discount": "0", "sale_type": "cash",
            "vat_treatment": ""}  # fmt: skip
    swapped = client.post(f"/deals/{deal.pk}/numbers/", form, HTTP_HX_REQUEST="true")
    assert swapped.status_code == 200
    assert b'id="desk"' in swapped.content
    assert b"<html" not in swapped.content
    deal.refresh_from_db()
    assert deal.price == D("24000.00")
    form = {**form, "version": deal.version, "discount": "30000"}
    bad = client.post(f"/deals/{deal.pk}/numbers/", form, HTTP_HX_REQUEST="true")
    assert bad.status_code == 422
    assert b"The discount cannot exceed the price." in bad.content
    trade = client.post(f"/deals/{deal.pk}/trades/", trade_fields(vin="BAD"))
    assert trade.status_code == 422
    assert b"17-character VIN" in trade.content


def test_desk_from_the_vehicle_page_and_list_my_deals(owner, rooftop, salesperson, client_for):
    vehicle = car(owner, rooftop)
    client = client_for(salesperson)
    assert b"Desk a deal" in client.get(f"/inventory/{vehicle.pk}/").content
    buyer = desk(owner, rooftop).buyer
    desk_form = {"vehicle": vehicle.pk, "buyer": buyer.pk, "sale_type": "cash", "discount": "0"}
    created = client.post("/deals/new/", desk_form)
    assert created.status_code == 302
    mine = client.get("/deals/", {"mine": "on"})
    assert mine.status_code == 200
    assert vehicle.stock_number.encode() in mine.content
    assert client.get("/deals/", {"date_from": "nope"}).status_code == 200


def test_us_documents_print(owner, rooftop, salesperson):
    us_setup(owner, rooftop)
    manager = owner
    deal = desk(salesperson, rooftop, price="25000.00")
    actions.add_trade(salesperson, deal, **trade_fields())
    deal = deliver(salesperson, manager, deal, odometer=42050)
    order = pdf_text(render_document("buyers_order", deal))
    assert "Test state tax" in order
    assert "Balance due" in order
    assert "42050" in pdf_text(render_document("odometer", deal))
    assert "R" in pdf_text(render_document("receipts", deal))
    assert PdfReader(io.BytesIO(render_document("buyers_order", deal))).pages[
        0
    ].mediabox.width == pytest.approx(612, abs=1)


def test_uk_invoices_and_the_stock_book_reconcile(owner, other_rooftop, make_user, client_for):
    seller = make_user(Role.SALESPERSON, rooftops=[other_rooftop])
    manager = make_user(Role.SALES_MANAGER, rooftops=[other_rooftop])
    margin_car = car(owner, other_rooftop, acquisition_cost=D("8000.00"))
    inventory.add_cost(owner, margin_car, kind="reconditioning", amount="600")
    margin_deal = deliver(
        seller, manager, desk(seller, other_rooftop, vehicle=margin_car, price="11000.00")
    )
    new_car = car(owner, other_rooftop, condition="new")
    standard_deal = deliver(
        seller, manager, desk(seller, other_rooftop, vehicle=new_car, price="24000.00")
    )

    margin_invoice = pdf_text(render_document("invoice", margin_deal))
    assert "second-hand margin scheme supply" in margin_invoice
    assert "VAT on the vehicle" not in margin_invoice
    standard_invoice = pdf_text(render_document("invoice", standard_deal))
    assert "of which VAT on the vehicle" in standard_invoice
    assert "4,000.00" in standard_invoice
    assert MARGIN_STATEMENT[:30] not in standard_invoice
    assert PdfReader(io.BytesIO(render_document("invoice", margin_deal))).pages[
        0
    ].mediabox.width == pytest.approx(595, abs=1)

    client = client_for(manager)
    rows = list(
        csv.reader(
            io.StringIO(client.get("/deals/stock-book/", {"format": "csv"}).content.decode())
        )
    )
    assert len(rows) == 2  # the heading and the one margin-scheme car
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["Purchase price"], row["Selling price"], row["Margin"], row["VAT due"]) == (
        "8000.00",
        "11000.00",
        "3000.00",
        "500.00",
    )
    assert row["Sales invoice"] == margin_deal.invoices.get().number
    workbook = load_workbook(
        io.BytesIO(client.get("/deals/stock-book/", {"format": "xlsx"}).content)
    )
    assert workbook.active.max_row == 2
    assert client_for(seller).get("/deals/stock-book/").status_code == 403


def test_an_owner_configures_and_confirms_the_jurisdiction(owner, rooftop, client_for, make_user):
    client = client_for(owner)
    page = client.get("/deals/settings/")
    assert b"Needs the dealer's confirmation" in page.content
    saved = client.post(f"/deals/settings/{rooftop.pk}/", {"tax_area": "us-ca", "vat_rate": "20",
                                                           "invoice_prefix": "INV-"})  # fmt: skip
    assert saved.status_code == 302
    assert DealSettings.objects.get(rooftop=rooftop).tax_area == "US-CA"
    california = TaxRule.objects.get(area="US-CA")
    assert client.post(f"/deals/tax-rules/{california.pk}/confirm/").status_code == 302
    california.refresh_from_db()
    assert not california.needs_confirmation
    rule = {
        "area": "US-CA-LA", "level": "district", "name": "LA district", "rate": "0.0225",
        "trade_credit": "none", "effective_from": "2025-04-01", "citation": "CDTFA rates",
    }  # fmt: skip
    assert client.post("/deals/tax-rules/", rule).status_code == 302
    again = client.post("/deals/tax-rules/", rule)
    assert again.status_code == 422
    assert b"already starts on this date" in again.content
    manager = make_user(Role.SALES_MANAGER)
    assert client_for(manager).post("/deals/tax-rules/", rule).status_code == 403


def test_split_the_deal_between_two_salespeople(owner, rooftop, salesperson, make_user, client_for):
    other = make_user(Role.SALESPERSON)
    deal = desk(salesperson, rooftop, price="25000.00")
    plan = actions.add_commission_plan(owner, rooftop, name="Std", kind="percent", percent="25")
    client = client_for(salesperson)
    form = {
        "version": deal.version, "first": salesperson.pk, "first_share": "60",
        "first_plan": plan.pk, "second": other.pk, "second_share": "30", "second_plan": "",
    }  # fmt: skip
    refused = client.post(f"/deals/{deal.pk}/salespeople/", form)
    assert refused.status_code == 422
    assert b"not 100 %" in refused.content
    saved = client.post(f"/deals/{deal.pk}/salespeople/", {**form, "second_share": "40"})
    assert saved.status_code == 302
    shares = {s.user_id: s.share for s in deal.salespeople.all()}
    assert shares == {salesperson.pk: D("60.00"), other.pk: D("40.00")}
    # 5,000 front gross: 25 % of a 60 % share; the second has no plan.
    assert deal_numbers(deal).commissions == {
        salesperson.full_name: D("750.00"),
        other.full_name: D("0.00"),
    }


def test_my_day_offers_a_deal_for_a_car_out_on_a_test_drive(
    owner, rooftop, salesperson, client_for
):
    vehicle = car(owner, rooftop)
    buyer = desk(owner, rooftop).buyer
    leads.start_test_drive(
        salesperson, buyer, vehicle=vehicle, drivers_license_number="D1234567",
        drivers_license_state="IL", odometer_out=vehicle.odometer,
    )  # fmt: skip
    page = client_for(salesperson).get("/leads/my-day/")
    assert f"/deals/new/?vehicle={vehicle.pk}&amp;buyer={buyer.pk}".encode() in page.content


def test_the_lead_and_its_deal_link_both_ways(owner, rooftop, salesperson, client_for):
    vehicle = car(owner, rooftop)
    buyer = desk(owner, rooftop).buyer
    lead = leads.create_lead(salesperson, buyer, source="walk_in", vehicle=vehicle)
    client = client_for(salesperson)
    assert f"/deals/new/?lead={lead.pk}".encode() in client.get(f"/leads/{lead.pk}/").content
    created = client.post("/deals/new/", {"lead": lead.pk, "sale_type": "cash", "discount": "0"})
    deal = lead.deals.get()
    assert created["Location"] == f"/deals/{deal.pk}/"
    assert (deal.vehicle_id, deal.buyer_id) == (vehicle.pk, buyer.pk)
    assert f"/deals/{deal.pk}/".encode() in client.get(f"/leads/{lead.pk}/").content
    assert f"/leads/{lead.pk}/".encode() in client.get(f"/deals/{deal.pk}/").content


def test_the_jacket_history_reads_as_words_for_whoever_may_see_the_deal(
    owner, rooftop, salesperson, client_for
):
    """The deal's history is core's readable audit trail (no codes, no ids, no ISO time),
    shown to the salesperson too, who may not read the audit log itself."""
    us_setup(owner, rooftop)
    deal = desk(salesperson, rooftop, price="25000.00")
    assert not salesperson.has_perm("core.view_auditentry")
    page = client_for(salesperson).get(f"/deals/{deal.pk}/").content.decode()
    history = page[page.index('id="deal-history"') :]
    assert "Create deal" in history
    assert "deals.create_deal" not in history
    assert "buyer_id" not in history
    assert deal.buyer.display_name in history


def test_the_buyers_order_prints_names_as_typed(owner, rooftop, salesperson):
    """The deal PDFs draw with the embedded Unicode font: curly quotes, dashes and accented
    letters print as typed (they used to be forced to Latin-1: "Łukasz" came out "?ukasz").
    The quote and dash are escaped here only so the linter does not mistake them."""
    us_setup(owner, rooftop)
    buyer = us_customer(
        salesperson, rooftop, first_name="Łukasz", last_name="O\u2019Brien\u2013Zoë"
    )
    deal = desk(salesperson, rooftop, buyer=buyer, price="25000.00")
    order = pdf_text(render_document("buyers_order", deal))
    assert "Łukasz" in order
    assert "O\u2019Brien\u2013Zoë" in order
