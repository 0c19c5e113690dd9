"""The deal screens: the list, desking, the jacket (live numbers via htmx), documents and
the margin-scheme stock book. Thin adapters over actions.py, numbers.py and search.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from forecourt.accounts.models import Rooftop, User
from forecourt.core import audit_display
from forecourt.core.forms import add_action_errors, filter_error
from forecourt.core.htmx import is_htmx
from forecourt.core.visibility import visible_or_404
from forecourt.customers.models import Customer
from forecourt.deals import actions
from forecourt.deals.api import sees_gross
from forecourt.deals.documents import DOCUMENTS, render_document
from forecourt.deals.forms import (
    DealFilterForm,
    DeskForm,
    FeeForm,
    LineForm,
    NumbersForm,
    PaymentForm,
    PlanForm,
    SalespeopleForm,
    SettingsForm,
    TaxRuleForm,
    TradeForm,
    TransitionForm,
    set_choices,
)
from forecourt.deals.models import (
    SALE_TYPES_BY_COUNTRY,
    CommissionPlan,
    Deal,
    DealStatus,
    Fee,
    TaxRule,
)
from forecourt.deals.numbers import area_prefixes, deal_numbers, settings_for
from forecourt.deals.registry import jacket_panels
from forecourt.deals.search import BadQuery, DealFilters, search_deals
from forecourt.deals.stockbook import as_csv, as_xlsx, stock_book_rows
from forecourt.inventory.models import Status, Vehicle
from forecourt.leads.models import Lead

PICK_LIMIT = 200
RELATED = ("vehicle", "buyer", "co_buyer", "rooftop", "lead")


# --- list ----------------------------------------------------------------------------


@permission_required("deals.view_deal", raise_exception=True)
def deal_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = DealFilterForm(request.GET or None)
    set_choices(form, "status", [("", "Any status"), *DealStatus.choices])
    rooftops = Rooftop.objects.for_user(user, "view")
    set_choices(form, "rooftop", [("", "Any rooftop"), *((r.pk, r.name) for r in rooftops)])
    people = User.objects.filter(rooftops__in=rooftops, is_active=True).distinct()
    set_choices(
        form, "salesperson",
        [("", "Anyone"), *((u.pk, u.full_name or u.email) for u in people[:PICK_LIMIT])],
    )  # fmt: skip
    error = ""
    page = None
    try:
        page = search_deals(
            Deal.objects.for_user(user, "view"),
            DealFilters.from_query(request.GET),
            user,
            cursor=request.GET.get("cursor", ""),
        )
    except BadQuery as bad:
        error = filter_error(bad, {})
    next_url = ""
    if page is not None and page.next_cursor:
        query = request.GET.copy()
        query["cursor"] = page.next_cursor
        next_url = f"{request.path}?{query.urlencode()}"
    context = {"form": form, "page": page, "error": error, "next_url": next_url,
               "is_later_page": bool(request.GET.get("cursor"))}  # fmt: skip
    if is_htmx(request, "results"):
        return render(request, "deals/deal_list.html#results", context)
    return render(request, "deals/deal_list.html", context)


# --- desking -------------------------------------------------------------------------


def _picks(user: Any, vehicle: Vehicle | None, buyer: Customer | None) -> dict[str, Any]:
    """Vehicles or customers to choose from when the page names only one party."""
    if vehicle is None:
        vehicles = Vehicle.objects.for_user(user, "view").filter(
            status__in=(Status.AVAILABLE, Status.IN_RECONDITIONING, Status.INCOMING)
        )
        if buyer is not None:
            vehicles = vehicles.filter(rooftop_id=buyer.rooftop_id)
        return {"vehicles": vehicles.order_by("stock_number")[:PICK_LIMIT]}
    customers = Customer.objects.for_user(user, "view").current()
    return {"customers": customers.filter(rooftop_id=vehicle.rooftop_id)[:PICK_LIMIT]}


def _optional(model: Any, user: Any, raw: Any) -> Any:
    if raw in (None, ""):
        return None
    try:
        return visible_or_404(model, user, int(raw))
    except (TypeError, ValueError):
        raise Http404 from None


@permission_required("deals.add_deal", raise_exception=True)
def deal_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    source = request.POST if request.method == "POST" else request.GET
    lead = _optional(Lead, user, source.get("lead"))
    vehicle = _optional(Vehicle, user, source.get("vehicle")) or (lead.vehicle if lead else None)
    buyer = _optional(Customer, user, source.get("buyer")) or (lead.customer if lead else None)
    initial = {"vehicle": getattr(vehicle, "pk", None), "buyer": getattr(buyer, "pk", None),
               "lead": getattr(lead, "pk", None), "discount": 0}  # fmt: skip
    form = DeskForm(request.POST or None, initial=initial)
    if vehicle is not None:
        country = vehicle.rooftop.country
        set_choices(form, "sale_type", _sale_type_choices(country))
    if request.method == "POST" and vehicle and buyer and form.is_valid():
        data = form.cleaned_data
        try:
            deal = actions.create_deal(
                user, vehicle=vehicle, buyer=buyer, lead=lead, sale_type=data["sale_type"],
                price=data["price"], discount=data["discount"] or 0,
            )  # fmt: skip
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, f"Deal {deal.number} desked.")
            return redirect("deals:deal-detail", pk=deal.pk)
    context = {"form": form, "vehicle": vehicle, "buyer": buyer, "lead": lead,
               **_picks(user, vehicle, buyer)}  # fmt: skip
    return render(request, "deals/deal_new.html", context, status=422 if form.errors else 200)


def _sale_type_choices(country: str) -> list[tuple[str, str]]:
    return [(t.value, str(t.label)) for t in SALE_TYPES_BY_COUNTRY.get(country, ())]


# --- the jacket ----------------------------------------------------------------------


def _jacket(request: HttpRequest, deal: Deal, **forms: Any) -> dict[str, Any]:
    user: Any = request.user
    numbers = deal_numbers(deal)
    fees = Fee.objects.filter(rooftop_id=deal.rooftop_id, is_active=True)
    line_form = forms.get("line_form") or LineForm()
    set_choices(line_form, "fee", [("", "-"), *((f.pk, f"{f.name} {f.amount}") for f in fees)])
    numbers_form = forms.get("numbers_form") or NumbersForm(
        initial={"version": deal.version, "price": deal.price, "discount": deal.discount,
                 "sale_type": deal.sale_type, "vat_treatment": deal.vat_treatment}
    )  # fmt: skip
    set_choices(numbers_form, "sale_type", _sale_type_choices(deal.rooftop.country))
    if deal.rooftop.country != "GB":
        numbers_form.fields.pop("vat_treatment", None)
    return {
        "deal": deal,
        "numbers": numbers,
        "sees_gross": sees_gross(user),
        "is_quote": deal.status == DealStatus.QUOTE,
        "numbers_form": numbers_form,
        "line_form": line_form,
        "trade_form": forms.get("trade_form") or TradeForm(),
        "payment_form": forms.get("payment_form") or PaymentForm(),
        "people_form": _people_form(deal, forms.get("people_form")),
        "transition_form": forms.get("transition_form")
        or TransitionForm(initial={"version": deal.version, "odometer_brand": "actual"}),
        "moves": _moves(user, deal),
        "documents": _documents(deal),
        "audit": audit_display.trail_for(user, deal, limit=200, record_history=True),
        "panels": jacket_panels(request, deal),
    }


def _people_form(deal: Deal, bound: SalespeopleForm | None = None) -> SalespeopleForm:
    people = list(deal.salespeople.all())
    initial: dict[str, Any] = {"version": deal.version}
    for prefix, person in zip(("first", "second"), people, strict=False):
        initial |= {prefix: person.user_id, f"{prefix}_share": person.share,
                    f"{prefix}_plan": person.plan_id}  # fmt: skip
    form = bound or SalespeopleForm(initial=initial)
    sellers = User.objects.filter(rooftops=deal.rooftop_id, is_active=True).order_by("full_name")
    choices = [(u.pk, u.full_name or u.email) for u in sellers if u.has_perm("deals.add_deal")]
    plans = [
        ("", "-"),
        *((p.pk, p.name) for p in CommissionPlan.objects.filter(rooftop_id=deal.rooftop_id)),
    ]
    set_choices(form, "first", choices)
    set_choices(form, "second", [("", "-"), *choices])
    set_choices(form, "first_plan", plans)
    set_choices(form, "second_plan", plans)
    return form


def _moves(user: Any, deal: Deal) -> list[tuple[str, str]]:
    s = DealStatus
    moves = {
        s.QUOTE: [("submit", "Submit for approval")],
        s.PENDING_APPROVAL: [("approve", "Approve"), ("return_to_quote", "Return to quote")]
        if user.has_perm("deals.approve_deal")
        else [("return_to_quote", "Return to quote")],
        s.APPROVED: [("contract", "Contract (signed)"), ("return_to_quote", "Return to quote")],
        s.CONTRACTED: [("deliver", "Deliver")],
        s.DELIVERED: [("unwind", "Unwind")] if user.has_perm("deals.unwind_deal") else [],
    }.get(DealStatus(deal.status), [])
    if deal.status not in (s.DELIVERED, s.CANCELLED, s.UNWOUND):
        moves.append(("cancel", "Cancel"))
    return moves


def _documents(deal: Deal) -> list[tuple[str, str]]:
    if deal.rooftop.country == "GB":
        return [("invoice", "Sales invoice")] if deal.invoices.exists() else []
    docs = [("buyers_order", "Buyer's order")]
    if deal.delivery_odometer is not None:
        docs.append(("odometer", "Odometer disclosure"))
    if deal.payments.exists():
        docs.append(("receipts", "Payment receipts"))
    return docs


@permission_required("deals.view_deal", raise_exception=True)
def deal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    deal = visible_or_404(Deal, request.user, pk, related=RELATED)
    return render(request, "deals/deal_detail.html", _jacket(request, deal))


def _rerender(request: HttpRequest, pk: int, **forms: Any) -> HttpResponse:
    deal = visible_or_404(Deal, request.user, pk, related=RELATED)
    return render(request, "deals/deal_detail.html", _jacket(request, deal, **forms), status=422)


def _write(
    request: HttpRequest, pk: int, form: Any, form_name: str, write: Callable[[Deal, Any], Any],
    done: str,
) -> HttpResponse:  # fmt: skip
    """Validate `form`, run `write(deal, data)`; errors inline on the jacket, else back to it."""
    deal = visible_or_404(Deal, request.user, pk)
    if form.is_valid():
        try:
            write(deal, form.cleaned_data)
        except actions.DealVersionConflict as conflict:
            form.add_error(None, str(conflict))
        except actions.DealConflict as conflict:
            form.add_error(None, str(conflict))
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("deals:deal-detail", pk=pk)
    return _rerender(request, pk, **{form_name: form})


@require_POST
def deal_numbers_update(request: HttpRequest, pk: int) -> HttpResponse:
    """The desk's price fields. htmx posts on every change and swaps in the recalculated
    numbers (and the new version); a plain post reloads the jacket."""
    deal = visible_or_404(Deal, request.user, pk, related=RELATED)
    form = NumbersForm(request.POST)
    saved = False
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.update_deal(
                request.user, deal, expected_version=data["version"], price=data["price"],
                discount=data["discount"], sale_type=data["sale_type"],
                vat_treatment=data["vat_treatment"],
            )  # fmt: skip
            saved = True
        except actions.DealVersionConflict as conflict:
            form.add_error(None, str(conflict))
        except ValidationError as error:
            add_action_errors(form, error)
    deal = visible_or_404(Deal, request.user, pk, related=RELATED)
    context = _jacket(request, deal, **({} if saved else {"numbers_form": form}))
    status = 200 if saved else 422
    if is_htmx(request):
        return render(request, "deals/deal_detail.html#desk", context, status=status)
    if saved:
        return redirect("deals:deal-detail", pk=pk)
    return render(request, "deals/deal_detail.html", context, status=status)


@require_POST
def deal_line_add(request: HttpRequest, pk: int) -> HttpResponse:
    def write(deal: Deal, data: dict[str, Any]) -> Any:
        fee = (
            Fee.objects.filter(pk=data["fee"], rooftop_id=deal.rooftop_id).first()
            if data["fee"]
            else None
        )
        return actions.add_line(
            request.user, deal, kind=data["kind"], description=data["description"],
            amount=data["amount"], cost=data["cost"] or 0, taxable=data["taxable"], fee=fee,
        )  # fmt: skip

    form = LineForm(request.POST)
    set_choices(form, "fee", [("", "-"), *((f.pk, f.name) for f in Fee.objects.all())])
    return _write(request, pk, form, "line_form", write, "Line added.")


@require_POST
def deal_line_remove(request: HttpRequest, pk: int, line_id: int) -> HttpResponse:
    return _simple(
        request, pk, lambda deal: actions.remove_line(request.user, deal, line_id), "Line removed."
    )


@require_POST
def deal_trade_add(request: HttpRequest, pk: int) -> HttpResponse:
    def write(deal: Deal, data: dict[str, Any]) -> Any:
        return actions.add_trade(
            request.user, deal, **{k: v for k, v in data.items() if v is not None}
        )

    return _write(request, pk, TradeForm(request.POST), "trade_form", write, "Trade-in added.")


@require_POST
def deal_trade_remove(request: HttpRequest, pk: int, trade_id: int) -> HttpResponse:
    return _simple(
        request,
        pk,
        lambda deal: actions.remove_trade(request.user, deal, trade_id),
        "Trade-in removed.",
    )


@require_POST
def deal_salespeople(request: HttpRequest, pk: int) -> HttpResponse:
    deal = visible_or_404(Deal, request.user, pk)
    form = _people_form(deal, SalespeopleForm(request.POST))

    def write(deal: Deal, data: dict[str, Any]) -> Any:
        people = []
        for prefix in ("first", "second"):
            if data.get(prefix):
                user = User.objects.get(pk=data[prefix])
                plan = actions.plan_of(deal.rooftop_id, data[f"{prefix}_plan"])
                people.append((user, data[f"{prefix}_share"] or 0, plan))
        return actions.update_deal(
            request.user, deal, expected_version=data["version"], salespeople=people
        )

    return _write(request, pk, form, "people_form", write, "Salespeople saved.")


@require_POST
def deal_payment(request: HttpRequest, pk: int) -> HttpResponse:
    def write(deal: Deal, data: dict[str, Any]) -> Any:
        return actions.take_payment(
            request.user, deal, method=data["method"], amount=data["amount"],
            reference=data["reference"],
        )  # fmt: skip

    return _write(request, pk, PaymentForm(request.POST), "payment_form", write, "Payment taken.")


MOVES: dict[str, Callable[[Any, Deal, dict[str, Any]], Any]] = {
    "submit": lambda u, d, f: actions.submit_for_approval(u, d, expected_version=f["version"]),
    "approve": lambda u, d, f: actions.approve_deal(
        u, d, note=f["reason"], expected_version=f["version"]
    ),
    "return_to_quote": lambda u, d, f: actions.return_to_quote(
        u, d, reason=f["reason"], expected_version=f["version"]
    ),
    "contract": lambda u, d, f: actions.contract_deal(u, d, expected_version=f["version"]),
    "deliver": lambda u, d, f: actions.deliver_deal(
        u,
        d,
        odometer=f["odometer"],
        odometer_brand=f["odometer_brand"] or "actual",
        expected_version=f["version"],
    ),
    "cancel": lambda u, d, f: actions.cancel_deal(
        u, d, reason=f["reason"], expected_version=f["version"]
    ),
    "unwind": lambda u, d, f: actions.unwind_deal(
        u, d, reason=f["reason"], expected_version=f["version"]
    ),
}


@require_POST
def deal_transition(request: HttpRequest, pk: int) -> HttpResponse:
    form = TransitionForm(request.POST)
    action = request.POST.get("action", "")

    def write(deal: Deal, data: dict[str, Any]) -> Any:
        return MOVES[data["action"]](request.user, deal, data)

    label = dict(TransitionForm.base_fields["action"].choices).get(action, action)  # type: ignore[attr-defined]
    return _write(request, pk, form, "transition_form", write, f"Done: {label}.")


def _simple(request: HttpRequest, pk: int, write: Callable[[Deal], Any], done: str) -> HttpResponse:
    deal = visible_or_404(Deal, request.user, pk)
    try:
        write(deal)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("deals:deal-detail", pk=pk)


@permission_required("deals.view_deal", raise_exception=True)
def deal_document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    deal = visible_or_404(Deal, request.user, pk, related=RELATED)
    if kind not in DOCUMENTS:
        raise Http404
    try:
        pdf = render_document(kind, deal)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("deals:deal-detail", pk=pk)
    return HttpResponse(
        pdf, content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{deal.number}-{kind}.pdf"'},
    )  # fmt: skip


# --- VAT margin-scheme stock book ----------------------------------------------------


@permission_required("inventory.view_vehicle_cost", raise_exception=True)
@permission_required("deals.view_deal", raise_exception=True)
def stock_book(request: HttpRequest) -> HttpResponse:
    rows = stock_book_rows(Deal.objects.for_user(request.user, "view"))
    fmt = request.GET.get("format", "")
    if fmt == "csv":
        return HttpResponse(
            as_csv(rows), content_type="text/csv",
            headers={"Content-Disposition": 'attachment; filename="stock-book.csv"'},
        )  # fmt: skip
    if fmt == "xlsx":
        return HttpResponse(
            as_xlsx(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": 'attachment; filename="stock-book.xlsx"'},
        )
    links = {
        f: f"{reverse('deals:stock-book')}?{urlencode({'format': f})}" for f in ("csv", "xlsx")
    }
    return render(request, "deals/stock_book.html", {"rows": rows, "links": links})


# --- configuration: settings, fee table, commission plans, tax rules ------------------


@permission_required("deals.view_dealsettings", raise_exception=True)
def deal_settings(request: HttpRequest) -> HttpResponse:
    return render(request, "deals/settings.html", _settings_context(request))


def _settings_context(request: HttpRequest, **forms: Any) -> dict[str, Any]:
    user: Any = request.user
    rooftops = list(Rooftop.objects.for_user(user, "view"))
    chosen = request.GET.get("rooftop") or request.POST.get("rooftop")
    rooftop = next((r for r in rooftops if str(r.pk) == chosen), rooftops[0] if rooftops else None)
    config = settings_for(rooftop) if rooftop else None
    area = config.tax_area if config else ""
    applying = {rule.pk for rule in TaxRule.objects.filter(area__in=area_prefixes(area))}
    return {
        "rooftops": rooftops,
        "rooftop": rooftop,
        "config": config,
        "rules": TaxRule.objects.all(),
        "applying": applying,
        "fees": Fee.objects.filter(rooftop=rooftop) if rooftop else [],
        "plans": CommissionPlan.objects.filter(rooftop=rooftop) if rooftop else [],
        "settings_form": forms.get("settings_form") or SettingsForm(instance=config),
        "fee_form": forms.get("fee_form") or FeeForm(),
        "plan_form": forms.get("plan_form") or PlanForm(),
        "rule_form": forms.get("rule_form") or TaxRuleForm(),
    }


def _config_write(
    request: HttpRequest, form: Any, form_name: str, write: Callable[[dict[str, Any]], Any],
    done: str, rooftop_id: int | None = None,
) -> HttpResponse:  # fmt: skip
    target = reverse("deals:settings") + (f"?rooftop={rooftop_id}" if rooftop_id else "")
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(target)
    context = _settings_context(request, **{form_name: form})
    return render(request, "deals/settings.html", context, status=422)


@require_POST
def deal_settings_update(request: HttpRequest, rooftop_id: int) -> HttpResponse:
    rooftop = visible_or_404(Rooftop, request.user, rooftop_id)
    return _config_write(
        request, SettingsForm(request.POST), "settings_form",
        lambda data: actions.update_deal_settings(request.user, rooftop, **data),
        "Settings saved.", rooftop.pk,
    )  # fmt: skip


@require_POST
def fee_add(request: HttpRequest, rooftop_id: int) -> HttpResponse:
    rooftop = visible_or_404(Rooftop, request.user, rooftop_id)
    return _config_write(
        request, FeeForm(request.POST), "fee_form",
        lambda data: actions.add_fee(request.user, rooftop, **data), "Fee added.", rooftop.pk,
    )  # fmt: skip


@require_POST
def plan_add(request: HttpRequest, rooftop_id: int) -> HttpResponse:
    rooftop = visible_or_404(Rooftop, request.user, rooftop_id)
    return _config_write(
        request, PlanForm(request.POST), "plan_form",
        lambda data: actions.add_commission_plan(request.user, rooftop, **data),
        "Commission plan added.", rooftop.pk,
    )  # fmt: skip


@require_POST
@permission_required("deals.add_taxrule", raise_exception=True)
def tax_rule_add(request: HttpRequest) -> HttpResponse:
    return _config_write(
        request, TaxRuleForm(request.POST), "rule_form",
        lambda data: actions.add_tax_rule(request.user, **data), "Tax rule saved.",
    )  # fmt: skip


@require_POST
@permission_required("deals.change_taxrule", raise_exception=True)
def tax_rule_confirm(request: HttpRequest, rule_id: int) -> HttpResponse:
    rule = get_object_or_404(TaxRule, pk=rule_id)
    try:
        actions.confirm_tax_rule(request.user, rule)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{rule.name} confirmed.")
    return redirect("deals:settings")
