"""The finance app's part of the route-driven proof tests (forecourt/core/security/tests/).

EXPECTED: who may GET each route (rules as in test_authorization.py). MODEL_BY_PARAM /
MODEL_BY_SEGMENT: which model an id in a path names. populate(owner, rooftop): one of each
object the routes name, through actions.
"""

from __future__ import annotations

from typing import Any

SIGNED_IN = "signed-in"
POST_ONLY = "post-only"
LENDERS = "finance.view_lender"
PRODUCTS = "finance.view_financeproduct"
MENUS = "finance.view_productmenu"
CREDIT = "finance.view_creditapplication"

EXPECTED: dict[str, str] = {
    # Pages: the desking screens only calculate, like the calculator API
    "finance:queue": "finance.view_financecontract",
    "finance:desk": SIGNED_IN,
    "finance:disclosure-pdf": SIGNED_IN,
    "finance:lease": SIGNED_IN,
    "finance:uk": SIGNED_IN,
    "finance:uk-proposal-pdf": SIGNED_IN,
    "finance:lender-list": LENDERS,
    "finance:lender-create": "finance.add_lender",
    "finance:lender-detail": LENDERS,
    "finance:product-list": PRODUCTS,
    "finance:product-create": "finance.add_financeproduct",
    "finance:product-detail": PRODUCTS,
    "finance:menu-list": MENUS,
    "finance:menu-create": POST_ONLY,
    "finance:menu-detail": MENUS,
    "finance:credit-list": CREDIT,
    "finance:credit-create": "finance.add_creditapplication",
    "finance:credit-detail": CREDIT,
    "finance:credit-red-flags": POST_ONLY,
    "finance:credit-decision": POST_ONLY,
    "finance:credit-lender-pdf": POST_ONLY,
    "finance:credit-reveal": POST_ONLY,
    # API: the calculators compute and store nothing
    "api:finance_quote": SIGNED_IN,
    "api:finance_solve": SIGNED_IN,
    "api:finance_scenarios": SIGNED_IN,
    "api:finance_lease": SIGNED_IN,
    "api:finance_uk": SIGNED_IN,
    # API: records
    "api:list_lenders": LENDERS,
    "api:get_lender": LENDERS,
    "api:set_lender_rates": POST_ONLY,
    "api:list_products": PRODUCTS,
    "api:get_product": PRODUCTS,
    "api:list_menus": MENUS,
    "api:get_menu": MENUS,
    "api:set_menu_entries": POST_ONLY,
    "api:menu_payments": MENUS,
    "api:get_deal_finance": "finance.view_financecontract",
}
MODEL_BY_PARAM: dict[str, str] = {
    "lender_id": "finance.Lender",
    "product_id": "finance.FinanceProduct",
    "menu_id": "finance.ProductMenu",
}
MODEL_BY_SEGMENT: dict[str, str] = {
    "lenders": "finance.Lender",
    "products": "finance.FinanceProduct",
    "menus": "finance.ProductMenu",
    "credit": "finance.CreditApplication",
    "applicants": "finance.CreditApplicant",
}
PLAIN_VALUES: dict[str, str] = {}


def populate(owner: Any, rooftop: Any) -> None:
    """A lender with its rate sheet, a menu of three products, a credit application."""
    from forecourt.finance.tests import factories

    factories.lender(owner, rooftop)
    factories.menu(owner, rooftop)
    factories.credit_application(owner, rooftop)
