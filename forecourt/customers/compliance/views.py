"""Compliance pages: a customer's OFAC and retention panel (an htmx partial the customer page
loads), screening, clearing, legal holds, the retention report, disposal and the access
request's export.

Thin adapters over compliance/actions/, retention.py and export.py.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from forecourt.core.forms import add_action_errors
from forecourt.core.htmx import is_htmx
from forecourt.core.post_only import post_only
from forecourt.core.security.reauth import require_recent_auth
from forecourt.core.visibility import visible_or_404
from forecourt.customers.compliance import actions, ofac, retention
from forecourt.customers.compliance.export import export_response
from forecourt.customers.compliance.forms import DisposeForm, ReasonForm
from forecourt.customers.models import Customer, OfacScreening

PANEL = "customers/compliance/panel.html"
RECENT_SCREENINGS = 5


def _panel_context(request: HttpRequest, customer: Customer, **extra: Any) -> dict[str, Any]:
    days = retention.retention_days()
    return {
        "customer": customer,
        "notice": extra.get("notice", ""),
        "problem": extra.get("problem", ""),
        "screenings": list(
            OfacScreening.objects.filter(customer=customer).select_related(
                "sdn_list", "screened_by"
            )[:RECENT_SCREENINGS]
        ),
        "delivery_blocked": ofac.delivery_blocked(customer),
        "current_list": ofac.current_list(),
        "threshold": ofac.MATCH_THRESHOLD,
        "retention_days": days,
        "disposal_due_at": customer.last_activity_at + timedelta(days=days),
        "retention_blocker": retention.blocker(customer),
        "clear_form": extra.get("clear_form") or ReasonForm(prefix="clear"),
        "hold_form": extra.get("hold_form") or ReasonForm(prefix="hold"),
    }


def _panel(
    request: HttpRequest, customer: Customer, status: int = 200, **extra: Any
) -> HttpResponse:
    """The panel: the partial for htmx, the whole page otherwise.

    htmx swaps only 2xx answers, so the partial comes back as 200 even with errors in it.
    """
    context = _panel_context(request, customer, **extra)
    if is_htmx(request):
        return render(request, PANEL + "#panel", context)
    return render(request, PANEL, context, status=status)


def _after_write(request: HttpRequest, pk: int, message: str) -> HttpResponse:
    if is_htmx(request):  # the panel says it in place; a message would show a page later
        return _panel(request, visible_or_404(Customer, request.user, pk), notice=message)
    messages.success(request, message)
    return redirect("customers:compliance", pk=pk)


def _refused(request: HttpRequest, customer: Customer, error: ValidationError) -> HttpResponse:
    if is_htmx(request):
        return _panel(request, customer, status=422, problem=" ".join(error.messages))
    messages.error(request, " ".join(error.messages))
    return redirect("customers:compliance", pk=customer.pk)


@permission_required("customers.view_customer", raise_exception=True)
def compliance_panel(request: HttpRequest, pk: int) -> HttpResponse:
    return _panel(request, visible_or_404(Customer, request.user, pk))


@post_only
def ofac_screen(request: HttpRequest, pk: int) -> HttpResponse:
    customer = visible_or_404(Customer, request.user, pk)
    try:
        screening = actions.screen_customer(request.user, customer)
    except ValidationError as error:
        return _refused(request, customer, error)
    return _after_write(request, pk, f"Screened: {screening.get_result_display()}.")


@post_only
def ofac_clear(request: HttpRequest, pk: int) -> HttpResponse:
    customer = visible_or_404(Customer, request.user, pk)
    form = ReasonForm(request.POST, prefix="clear")
    if form.is_valid():
        try:
            actions.clear_ofac_match(request.user, customer, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return _after_write(request, pk, "Possible OFAC match cleared.")
    return _panel(request, customer, status=422, clear_form=form)


@post_only
def legal_hold_set(request: HttpRequest, pk: int) -> HttpResponse:
    customer = visible_or_404(Customer, request.user, pk)
    form = ReasonForm(request.POST, prefix="hold")
    if form.is_valid():
        try:
            actions.set_legal_hold(request.user, customer, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return _after_write(request, pk, "Legal hold placed: this customer is kept.")
    return _panel(request, customer, status=422, hold_form=form)


@post_only
def legal_hold_lift(request: HttpRequest, pk: int) -> HttpResponse:
    customer = visible_or_404(Customer, request.user, pk)
    form = ReasonForm(request.POST, prefix="hold")
    if form.is_valid():
        try:
            actions.lift_legal_hold(request.user, customer, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return _after_write(request, pk, "Legal hold lifted.")
    return _panel(request, customer, status=422, hold_form=form)


# --- retention report and disposal ---------------------------------------------------------


@permission_required("customers.dispose_customer", raise_exception=True)
def retention_report(request: HttpRequest) -> HttpResponse:
    report = retention.upcoming_report(request.user)
    return render(
        request,
        "customers/compliance/retention_report.html",
        {"report": report, "now": timezone.now()},
    )


@post_only  # the export is audited, and a GET never changes data
@permission_required("customers.dispose_customer", raise_exception=True)
def retention_report_export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        actions.export_retention_report(request.user), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="retention-report.csv"'
    response["Cache-Control"] = "no-store"
    return response


@permission_required("customers.dispose_customer", raise_exception=True)
@require_recent_auth
def dispose(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm (GET) and dispose of (POST) one customer now; sudo mode like other dangers."""
    customer = visible_or_404(Customer, request.user, pk)
    form = DisposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.anonymize_customer(request.user, customer, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, f"Customer {pk} was anonymized.")
            return redirect("customers:retention-report")
    context = {
        "customer": customer,
        "form": form,
        "blocker": retention.blocker(customer),
        "disposal_due_at": customer.last_activity_at + timedelta(days=retention.retention_days()),
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "customers/compliance/dispose.html", context, status=status)


@post_only
@permission_required("customers.export_customer", raise_exception=True)
def customer_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """An access request's export (JSON or PDF): POST because it is audited."""
    customer = visible_or_404(Customer, request.user, pk)
    if fmt not in ("json", "pdf"):
        return HttpResponse("Unknown format.", status=404)
    data = actions.export_customer(request.user, customer)
    return export_response(customer, data, fmt)
