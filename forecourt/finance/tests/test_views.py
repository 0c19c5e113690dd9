"""The desking, lease and UK screens, the printed summaries, and the record screens."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from pypdf import PdfReader

from forecourt.accounts.roles import Role
from forecourt.finance.models import Lender, MenuEntry
from forecourt.finance.tests import factories

pytestmark = pytest.mark.django_db
DEAL = {"price": "20000.00", "apr": "4.00", "term": "60"}


@pytest.fixture
def fi_manager(make_user: Any) -> Any:
    return make_user(Role.FI_MANAGER)


@pytest.fixture
def browser(fi_manager: Any, client_for: Any) -> Any:
    return client_for(fi_manager)


def pdf_text(response: Any) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_size_mm(response: Any) -> tuple[int, int]:
    box = PdfReader(io.BytesIO(response.content)).pages[0].mediabox
    return round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)


def test_desk_shows_the_quote_scenarios_solution_and_menu(
    browser: Any, fi_manager: Any, rooftop: Any
) -> None:
    menu = factories.menu(fi_manager, rooftop)
    response = browser.get(
        "/finance/desk/",
        {
            **DEAL,
            "terms": "48, 60",
            "downs": "0, 1000",
            "solve_for": "price",
            "target_payment": "400",
            "menu": menu.pk,
            "jurisdiction": "US-TX",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "$368.33" in page
    assert "$368.38" in page
    assert page.count("<tr><td>") == 4  # two terms x two downs
    assert "$400.00" in page  # the solved price's payment
    assert "Choose Best" in page
    assert response.context["menu_columns"][3]["quote"].products_total == Decimal("3389.00")


def test_desk_shows_calculator_refusals_inline(browser: Any) -> None:
    response = browser.get("/finance/desk/", {**DEAL, "apr": "120"})
    assert response.status_code == 422
    assert "Must not be above 100%." in response.content.decode()


def test_disclosure_pdf_repeats_the_schedule_numbers_on_letter(browser: Any) -> None:
    response = browser.get("/finance/desk/disclosure.pdf", DEAL)
    text = pdf_text(response)
    for figure in ("4.00 %", "$2,099.85", "$20,000.00", "$22,099.85", "$368.33", "$368.38"):
        assert figure in text
    assert "59 monthly payments of" in text
    assert pdf_size_mm(response) == (216, 279)


def test_uk_proposal_is_a4_in_pounds_with_the_representative_apr(
    make_user: Any, client_for: Any, other_rooftop: Any
) -> None:
    uk_user = client_for(make_user(Role.FI_MANAGER, rooftops=[other_rooftop]))
    pcp = {
        "product": "pcp",
        "cash_price": "20000",
        "deposit": "2000",
        "nominal_rate": "7.9",
        "term": "36",
        "balloon": "8000",
        "option_to_purchase_fee": "10",
    }
    page = uk_user.get("/finance/uk/", pcp).content.decode()
    assert "8.2% APR" in page
    assert "£365.57" in page
    response = uk_user.get("/finance/uk/proposal.pdf", pcp)
    text = pdf_text(response)
    assert "8.2 % APR" in text
    assert "£23,170.49" in text
    assert pdf_size_mm(response) == (210, 297)
    refused = uk_user.get("/finance/uk/", {**pcp, "balloon": "18001"})
    assert refused.status_code == 422
    assert "Must not be above the amount financed." in refused.content.decode()


def test_lease_screen_shows_the_domain_example(browser: Any) -> None:
    response = browser.get(
        "/finance/lease/",
        {
            "msrp": "34000",
            "selling_price": "25000",
            "residual_percent": "42",
            "term": "36",
            "money_factor": "0.00125",
            "tax_mode": "monthly",
        },
    )
    assert response.status_code == 200
    assert "$346.88" in response.content.decode()


def test_lender_screens_create_edit_and_rate_sheet(browser: Any, rooftop: Any) -> None:
    created = browser.post(
        "/finance/lenders/new/",
        {
            "name": "Lakeside Credit Union",
            "kind": "credit_union",
            "reserve_method": "markup",
            "max_markup": "2.00",
            "reserve_share_percent": "70",
            "is_active": "on",
        },
    )
    assert created.status_code == 302
    lender = Lender.objects.get(name="Lakeside Credit Union")
    assert lender.rooftop == rooftop
    rates = browser.post(
        f"/finance/lenders/{lender.pk}/",
        {"version": lender.version, "rates": "prime, 1, 72, 5.25\nsubprime, 1, 60, 12"},
    )
    assert rates.status_code == 302
    assert lender.rates.count() == 2
    bad = browser.post(
        f"/finance/lenders/{lender.pk}/", {"version": lender.version + 1, "rates": "prime, 1"}
    )
    assert bad.status_code == 422
    assert "Line 1" in bad.content.decode()


def test_product_screen_refuses_a_price_outside_its_range(browser: Any) -> None:
    response = browser.post(
        "/finance/products/new/",
        {
            "name": "Key replacement",
            "kind": "key_replacement",
            "cost": "100",
            "price": "900",
            "min_price": "200",
            "max_price": "500",
            "is_active": "on",
        },
    )
    assert response.status_code == 422
    assert "Must be between the minimum and maximum price." in response.content.decode()


def test_menu_screen_saves_columns(browser: Any, fi_manager: Any, rooftop: Any) -> None:
    menu = factories.menu(fi_manager, rooftop)
    gap = MenuEntry.objects.filter(menu=menu, product__kind="gap").first()
    assert gap is not None
    response = browser.post(
        f"/finance/menus/{menu.pk}/",
        {
            "version": menu.version,
            f"best_{gap.product_id}": "on",
            f"price_{gap.product_id}": "850.00",
        },
    )
    assert response.status_code == 302
    assert list(menu.entries.values_list("column", "price")) == [("best", Decimal("850.00"))]


def test_salesperson_reads_lenders_but_cannot_add_them(
    salesperson: Any, client_for: Any, fi_manager: Any, rooftop: Any
) -> None:
    factories.lender(fi_manager, rooftop)
    seller = client_for(salesperson)
    assert seller.get("/finance/lenders/").status_code == 200
    assert seller.get("/finance/lenders/new/").status_code == 403
