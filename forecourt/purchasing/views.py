"""Buying screens: sellers, purchases (and the private seller's PDF), the incoming
watch-list. Thin adapters over actions.py and reads.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from forecourt.accounts.models import Rooftop
from forecourt.core.forms import add_action_errors
from forecourt.core.visibility import visible_or_404
from forecourt.inventory.media.documents import pdf_response_headers
from forecourt.purchasing import actions, documents
from forecourt.purchasing.forms import (
    ArrivalForm,
    LineFormSet,
    PaymentForm,
    PurchaseForm,
    SellerForm,
)
from forecourt.purchasing.models import PurchaseInvoice, PurchaseLine, Seller
from forecourt.purchasing.reads import incoming_watch_list, overdue
from forecourt.purchasing.stocking.models import Facility


def _rooftops(request: HttpRequest) -> Any:
    return Rooftop.objects.for_user(request.user, "view")


@permission_required("purchasing.view_seller", raise_exception=True)
def seller_list(request: HttpRequest) -> HttpResponse:
    form = SellerForm(request.POST or None, rooftops=_rooftops(request))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        rooftop = data.pop("rooftop")
        try:
            seller = actions.create_seller(request.user, rooftop, **data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, f"{seller.name} added.")
            return redirect("purchasing:seller-list")
    sellers = Seller.objects.for_user(request.user, "view").select_related("rooftop")
    status = 422 if form.errors else 200
    return render(
        request, "purchasing/seller_list.html", {"sellers": sellers, "form": form}, status=status
    )


@permission_required("purchasing.view_purchaseinvoice", raise_exception=True)
def purchase_list(request: HttpRequest) -> HttpResponse:
    purchases = (
        PurchaseInvoice.objects.for_user(request.user, "view")
        .select_related("seller", "rooftop")
        .prefetch_related("lines")[:200]
    )
    return render(request, "purchasing/purchase_list.html", {"purchases": purchases})


@permission_required("purchasing.add_purchaseinvoice", raise_exception=True)
def purchase_new(request: HttpRequest) -> HttpResponse:
    sellers = Seller.objects.for_user(request.user, "view").filter(is_active=True)
    data = request.POST or None
    form = PurchaseForm(data, sellers=sellers, initial={"purchased_on": timezone.localdate()})
    rows = LineFormSet(data, prefix="lines")
    if request.method == "POST" and form.is_valid() and rows.is_valid():
        seller = form.cleaned_data["seller"]
        lines = [row.values() for row in rows if row.values()]
        header = {k: v for k, v in form.cleaned_data.items() if k != "seller"}
        try:
            invoice = actions.record_purchase(
                request.user, seller.rooftop, seller=seller, lines=lines, **header
            )
        except ValidationError as error:
            _line_errors(form, rows, error)
        else:
            messages.success(request, f"Bought {len(lines)} vehicle(s).")
            return redirect("purchasing:purchase-detail", invoice.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "purchasing/purchase_new.html", {"form": form, "rows": rows}, status=status
    )


def _line_errors(form: PurchaseForm, rows: Any, error: ValidationError) -> None:
    """`lines.N.field` errors onto row N (the rows sent, blanks skipped); the rest on the form."""
    filled = [row for row in rows if row.values()]
    for key, found in error.message_dict.items():
        parts = key.split(".")
        if parts[0] == "lines" and len(parts) == 3 and int(parts[1]) < len(filled):
            row = filled[int(parts[1])]
            for message in found:
                row.add_error(parts[2] if parts[2] in row.fields else None, message)
        else:
            for message in found:
                form.add_error(key if key in form.fields else None, message)


@permission_required("purchasing.view_purchaseinvoice", raise_exception=True)
def purchase_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = visible_or_404(PurchaseInvoice, request.user, pk, related=("seller", "rooftop"))
    lines = invoice.lines.select_related("vehicle")
    facilities = Facility.objects.for_user(request.user, "view").filter(
        rooftop=invoice.rooftop, is_active=True
    )
    context = {
        "invoice": invoice,
        "lines": lines,
        "total": actions.invoice_total(invoice),
        "payment_form": PaymentForm(),
        "facilities": facilities,
    }
    return render(request, "purchasing/purchase_detail.html", context)


@require_POST
@permission_required("purchasing.change_purchaseinvoice", raise_exception=True)
def purchase_payment(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = visible_or_404(PurchaseInvoice, request.user, pk)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            actions.record_payment(request.user, invoice, **form.cleaned_data)
            messages.success(request, "Payment recorded.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, "Enter an amount and a method.")
    return redirect("purchasing:purchase-detail", invoice.pk)


@require_GET
@permission_required("purchasing.view_purchaseinvoice", raise_exception=True)
def purchase_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = visible_or_404(PurchaseInvoice, request.user, pk, related=("seller", "rooftop"))
    content = documents.render_purchase_invoice(invoice)
    name = slugify(f"purchase-{invoice.our_number or invoice.pk}")
    return HttpResponse(
        content, content_type="application/pdf", headers=pdf_response_headers(f"{name}.pdf")
    )


@permission_required("purchasing.view_purchaseline", raise_exception=True)
def incoming(request: HttpRequest) -> HttpResponse:
    lines = incoming_watch_list(request.user)
    late = set(overdue(lines).values_list("pk", flat=True))
    rows = [
        (line, ArrivalForm(instance=line, prefix=f"l{line.pk}"), line.pk in late)
        for line in lines[:300]
    ]
    return render(request, "purchasing/incoming.html", {"rows": rows})


@require_POST
@permission_required("purchasing.change_purchaseinvoice", raise_exception=True)
def arrival_update(request: HttpRequest, pk: int) -> HttpResponse:
    line = visible_or_404(PurchaseLine, request.user, pk)
    form = ArrivalForm(
        request.POST, instance=PurchaseLine.objects.get(pk=line.pk), prefix=f"l{line.pk}"
    )
    if form.is_valid():
        try:
            actions.update_arrival(request.user, line, **form.cleaned_data)
            messages.success(request, f"{line.vehicle} updated.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, "Check the dates.")
    return redirect("purchasing:incoming")
