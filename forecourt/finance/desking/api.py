"""/api/v1/finance/quote, lease, uk, solve, scenarios: the calculators, read-only.

They compute and store nothing, so they are GETs any signed-in user (or token) may call;
bad input is a 422 naming each field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.errors import ValidationError

from forecourt.core.api_errors import READ_ERRORS, error_responses
from forecourt.core.api_responses import json_response
from forecourt.finance.calc.errors import CalcInputError
from forecourt.finance.calc.lease import quote_lease
from forecourt.finance.calc.scenarios import four_square, grid
from forecourt.finance.calc.solve import (
    down_for_payment,
    price_for_payment,
    quote,
    term_for_payment,
)
from forecourt.finance.calc.uk import quote_uk
from forecourt.finance.desking.present import (
    desk_from,
    four_square_dict,
    lease_dict,
    lease_from,
    quote_dict,
    scenario_dict,
    uk_dict,
    uk_from,
)
from forecourt.finance.desking.schemas import (
    DeskQuery,
    LeaseOut,
    LeaseQuery,
    QuoteOut,
    ScenarioQuery,
    ScenariosOut,
    SolveOut,
    SolveQuery,
    UkOut,
    UkQuery,
)

router = Router(tags=["Finance calculators"])
ERRORS = error_responses(*READ_ERRORS)


def answer_calculation(compute: Callable[[], Any]) -> Any:
    """The calculation as JSON, or its refusals as the API's 422 with one entry per field."""
    try:
        return json_response(compute())
    except CalcInputError as refused:
        raise ValidationError(
            [
                {"loc": ("query", "params", field), "msg": message}
                for field, message in refused.errors.items()
            ]
        ) from None


@router.get(
    "/finance/quote",
    response={200: QuoteOut, **ERRORS},
    summary="Retail installment quote with the Truth in Lending disclosures",
    description=(
        "Payment, amortization schedule (interest rounded per period, the last payment "
        "absorbs rounding) and the Regulation Z box: amount financed (itemized), finance "
        "charge, APR by the actuarial method of Appendix J (odd first period included), "
        "total of payments, total sale price. docs/finance.md gives every formula."
    ),
)
def finance_quote(request: HttpRequest, params: Query[DeskQuery]) -> Any:
    return answer_calculation(lambda: quote_dict(quote(desk_from(params.model_dump()))))


@router.get(
    "/finance/solve",
    response={200: SolveOut, **ERRORS},
    summary="Solve for the price, down payment or term that meets a target payment",
    description=(
        "`price`: the highest price whose payment is at most the target; `down`: the "
        "smallest cash down; `term`: the shortest term up to `max_term`. The quote returned "
        "is the forward calculation of the solved deal, so its payment is the one shown."
    ),
)
def finance_solve(request: HttpRequest, params: Query[SolveQuery]) -> Any:
    solvers = {"price": price_for_payment, "down": down_for_payment}

    def compute() -> dict[str, Any]:
        desk = desk_from(params.model_dump())
        if params.solve_for == "term":
            solution = term_for_payment(desk, params.target_payment, params.max_term)
        else:
            solution = solvers[params.solve_for](desk, params.target_payment)
        return {
            "solve_for": params.solve_for,
            "target_payment": params.target_payment,
            "price": solution.desk.price,
            "cash_down": solution.desk.cash_down,
            "term": solution.desk.term,
            "quote": quote_dict(solution.disclosure),
        }

    return answer_calculation(compute)


@router.get(
    "/finance/scenarios",
    response={200: ScenariosOut, **ERRORS},
    summary="Payment grid (terms x down payments x rates) and the four-square",
    description="Repeat `terms`, `downs` and `aprs` for each column; at most 60 cells.",
)
def finance_scenarios(request: HttpRequest, params: Query[ScenarioQuery]) -> Any:
    def compute() -> dict[str, Any]:
        desk = desk_from(params.model_dump())
        cells = grid(desk, params.terms, params.downs, params.aprs)
        return {
            "four_square": four_square_dict(four_square(desk, [desk.term], [desk.cash_down])),
            "scenarios": [scenario_dict(cell) for cell in cells],
        }

    return answer_calculation(compute)


@router.get(
    "/finance/lease",
    response={200: LeaseOut, **ERRORS},
    summary="Closed-end lease payment with the Regulation M figures",
    description=(
        "Money factor = APR / 2400; residual = MSRP x residual %; base payment = "
        "depreciation + rent charge; tax monthly or upfront as the jurisdiction taxes leases."
    ),
)
def finance_lease(request: HttpRequest, params: Query[LeaseQuery]) -> Any:
    return answer_calculation(lambda: lease_dict(quote_lease(lease_from(params.model_dump()))))


@router.get(
    "/finance/uk",
    response={200: UkOut, **ERRORS},
    summary="UK hire purchase or PCP with the FCA representative example",
    description=(
        "Instalments at the fixed nominal rate (a PCP less its guaranteed future value), "
        "and the representative APR per FCA CONC App 1.1, rounded to one decimal place."
    ),
)
def finance_uk(request: HttpRequest, params: Query[UkQuery]) -> Any:
    return answer_calculation(lambda: uk_dict(quote_uk(uk_from(params.model_dump()))))
