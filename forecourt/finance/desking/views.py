"""The desking screens: payments, scenarios, solve-for and the menu; lease; UK HP/PCP.

Everything here only reads: the forms are GETs, so a desked deal is a URL that can be
bookmarked, shared or printed. The PDFs take the same parameters as their screens.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from forecourt.accounts.models import Rooftop
from forecourt.core.visibility import visible_or_404
from forecourt.deals.models import Deal
from forecourt.finance.calc.errors import CalcInputError
from forecourt.finance.calc.lease import quote_lease
from forecourt.finance.calc.scenarios import grid
from forecourt.finance.calc.solve import (
    down_for_payment,
    price_for_payment,
    quote,
    term_for_payment,
)
from forecourt.finance.calc.uk import quote_uk
from forecourt.finance.contracts.views import desk_initial_for
from forecourt.finance.desking import documents
from forecourt.finance.desking.forms import DeskForm, LeaseForm, UkForm
from forecourt.finance.desking.present import desk_from, lease_from, uk_from
from forecourt.finance.menus import price_menu
from forecourt.finance.models import MenuColumn, ProductMenu
from forecourt.inventory.media.documents import pdf_response_headers


def _rooftop(request: HttpRequest) -> Rooftop | None:
    user: Any = request.user
    return user.rooftops.order_by("name").first() or Rooftop.objects.for_user(user).first()


def _letterhead(request: HttpRequest) -> documents.Letterhead:
    rooftop = _rooftop(request)
    if rooftop is None:
        return documents.Letterhead("", "", "USD", "US")
    return documents.Letterhead(rooftop.name, rooftop.address, rooftop.currency, rooftop.country)


def _show_errors(form: Any, refused: CalcInputError) -> None:
    for field, message in refused.errors.items():
        form.add_error(field if field in form.fields else None, message)


def _with(query: QueryDict, **changes: Any) -> str:
    """The current query string with some values replaced (the 'use this' links)."""
    values = query.copy()
    for name, value in changes.items():
        values[name] = str(value)
    return "?" + values.urlencode()


def _menu_columns(menu: ProductMenu, form: DeskForm, desk: Any, query: QueryDict) -> list[Any]:
    entries = list(menu.entries.select_related("product"))
    quoted = price_menu(menu, desk, form.cleaned_data.get("jurisdiction") or "")
    columns = []
    for column, priced in zip([None, *MenuColumn], quoted, strict=True):
        chosen = [entry for entry in entries if column and entry.column == column]
        taxable = sum(
            entry.price
            for entry in chosen
            if entry.product.taxable_in(form.cleaned_data.get("jurisdiction") or "")
        )
        columns.append(
            {
                "quote": priced,
                "entries": chosen,
                "choose_url": _with(
                    query,
                    products=priced.products_total + (desk.products or 0),
                    taxable_products=taxable + (desk.taxable_products or 0),
                    menu="",
                )
                if column
                else "",
            }
        )
    return columns


def desk(request: HttpRequest) -> HttpResponse:
    menus = ProductMenu.objects.for_user(request.user)
    pk = request.GET.get("deal", "")
    if pk and "price" not in request.GET:
        # Opened from a deal: the form starts from its numbers (and its contract's rate).
        sale = visible_or_404(Deal, request.user, pk if pk.isdigit() else 0)
        form = DeskForm(initial=desk_initial_for(sale), menus=menus)
    else:
        form = DeskForm(request.GET or None, menus=menus)
    context: dict[str, Any] = {"form": form, "rooftop": _rooftop(request)}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            deal = desk_from(data)
            context["quote"] = quote(deal)
            context["scenarios"] = grid(deal, data["terms"], data["downs"], data["aprs"])
            context["scenario_downs"] = data["downs"] or [deal.cash_down]
            if data.get("solve_for"):
                context["solution"] = _solve(deal, data)
                solved = context["solution"].desk
                context["use_solution_url"] = _with(
                    request.GET,
                    price=solved.price,
                    cash_down=solved.cash_down,
                    term=solved.term,
                    solve_for="",
                    target_payment="",
                )
            if data.get("menu"):
                context["menu_columns"] = _menu_columns(data["menu"], form, deal, request.GET)
            context["print_url"] = "disclosure.pdf?" + request.GET.urlencode()
        except CalcInputError as refused:
            _show_errors(form, refused)
    status = 422 if form.errors else 200
    return render(request, "finance/desk.html", context, status=status)


def _solve(deal: Any, data: dict[str, Any]) -> Any:
    target = data["target_payment"]
    if data["solve_for"] == "price":
        return price_for_payment(deal, target)
    if data["solve_for"] == "down":
        return down_for_payment(deal, target)
    return term_for_payment(deal, target)


def _pdf(form: Any, render_pdf: Callable[[dict[str, Any]], bytes], name: str) -> HttpResponse:
    """A printed summary from the same parameters as its screen; refusals as plain text."""
    if not form.is_valid():
        return HttpResponse(
            "The figures are incomplete: calculate on the screen first.", status=422
        )
    try:
        content = render_pdf(form.cleaned_data)
    except CalcInputError as refused:
        return HttpResponse(str(refused), status=422, content_type="text/plain")
    return HttpResponse(content, content_type="application/pdf", headers=pdf_response_headers(name))


def disclosure_pdf(request: HttpRequest) -> HttpResponse:
    form = DeskForm(request.GET, menus=ProductMenu.objects.none())
    return _pdf(
        form,
        lambda data: documents.render_truth_in_lending(
            _letterhead(request), quote(desk_from(data))
        ),
        "truth-in-lending.pdf",
    )


def lease(request: HttpRequest) -> HttpResponse:
    form = LeaseForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "rooftop": _rooftop(request)}
    if form.is_bound and form.is_valid():
        try:
            context["lease"] = quote_lease(lease_from(form.cleaned_data))
        except CalcInputError as refused:
            _show_errors(form, refused)
    return render(request, "finance/lease.html", context, status=422 if form.errors else 200)


def uk(request: HttpRequest) -> HttpResponse:
    form = UkForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "rooftop": _rooftop(request)}
    if form.is_bound and form.is_valid():
        try:
            context["uk"] = quote_uk(uk_from(form.cleaned_data))
            context["print_url"] = "proposal.pdf?" + urlencode(request.GET)
        except CalcInputError as refused:
            _show_errors(form, refused)
    return render(request, "finance/uk.html", context, status=422 if form.errors else 200)


def proposal_pdf(request: HttpRequest) -> HttpResponse:
    return _pdf(
        UkForm(request.GET),
        lambda data: documents.render_finance_proposal(
            _letterhead(request), quote_uk(uk_from(data))
        ),
        "proposal.pdf",
    )
