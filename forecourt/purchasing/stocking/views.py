"""Floor-plan screens: facilities and their exposure, flooring a unit, payments, the
lender's statement and its reconciliation. Thin adapters over stocking/actions.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from forecourt.accounts.models import Rooftop
from forecourt.core.forms import add_action_errors
from forecourt.core.visibility import visible_or_404
from forecourt.inventory.models import Vehicle
from forecourt.purchasing.stocking import actions
from forecourt.purchasing.stocking.forms import (
    FacilityForm,
    FloorForm,
    PaymentForm,
    RateForm,
    StatementForm,
)
from forecourt.purchasing.stocking.models import Facility, Flooring, LenderStatement
from forecourt.purchasing.stocking.reads import exposure, facility_exposure, reconcile

MAX_STATEMENT_BYTES = 5 * 1024 * 1024


@permission_required("purchasing.view_facility", raise_exception=True)
def facility_list(request: HttpRequest) -> HttpResponse:
    rooftops = Rooftop.objects.for_user(request.user, "view")
    form = FacilityForm(request.POST or None, rooftops=rooftops)
    if request.method == "POST":
        if not request.user.has_perm("purchasing.add_facility"):
            return HttpResponse(status=403)
        if form.is_valid():
            data = dict(form.cleaned_data)
            rooftop = data.pop("rooftop")
            try:
                facility = actions.create_facility(request.user, rooftop, **data)
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, f"{facility} added.")
                return redirect("purchasing:facility-detail", facility.pk)
    status = 422 if form.errors else 200
    context = {"rows": exposure(request.user), "form": form}
    return render(request, "purchasing/facility_list.html", context, status=status)


@permission_required("purchasing.view_facility", raise_exception=True)
def facility_detail(request: HttpRequest, pk: int) -> HttpResponse:
    facility = visible_or_404(Facility, request.user, pk, related=("rooftop",))
    floorings = facility.floorings.select_related("vehicle").order_by("status", "-floored_on")[:300]
    context = {
        "facility": facility,
        "row": facility_exposure(facility),
        "floorings": floorings,
        "payment_form": PaymentForm(),
        "rate_form": RateForm(),
        "statement_form": StatementForm(),
        "statements": facility.statements.all()[:12],
    }
    return render(request, "purchasing/facility_detail.html", context)


@require_POST
@permission_required("purchasing.add_flooring", raise_exception=True)
def floor(request: HttpRequest, vehicle_id: int) -> HttpResponse:
    vehicle = visible_or_404(Vehicle, request.user, vehicle_id)
    facilities = Facility.objects.for_user(request.user, "view").filter(rooftop=vehicle.rooftop)
    form = FloorForm(request.POST, facilities=facilities)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.floor_vehicle(
                request.user,
                data["facility"],
                vehicle,
                floored_on=data["floored_on"],
                advance=data["advance"],
            )
            messages.success(request, f"{vehicle} floored.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, "Choose a facility.")
    line = request.POST.get("purchase", "")
    return (
        redirect("purchasing:purchase-detail", int(line))
        if line.isdigit()
        else redirect("purchasing:facility-list")
    )


@require_POST
@permission_required("purchasing.change_flooring", raise_exception=True)
def flooring_payment(request: HttpRequest, pk: int) -> HttpResponse:
    flooring = visible_or_404(Flooring, request.user, pk)
    form = PaymentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        pay = actions.pay_off if data["kind"] == "payoff" else actions.pay_curtailment
        try:
            pay(
                request.user,
                flooring,
                amount=data["amount"],
                paid_on=data["paid_on"],
                reference=data["reference"],
            )
            messages.success(request, "Payment recorded.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, "Check the amount and date.")
    return redirect("purchasing:facility-detail", flooring.facility_id)


@require_POST
@permission_required("purchasing.change_facility", raise_exception=True)
def facility_rate(request: HttpRequest, pk: int) -> HttpResponse:
    facility = visible_or_404(Facility, request.user, pk)
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            actions.change_rate(request.user, facility, **form.cleaned_data)
            messages.success(request, "Rate changed.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, "Enter a date and a rate.")
    return redirect("purchasing:facility-detail", facility.pk)


@require_POST
@permission_required("purchasing.add_lenderstatement", raise_exception=True)
def statement_import(request: HttpRequest, pk: int) -> HttpResponse:
    facility = visible_or_404(Facility, request.user, pk)
    form = StatementForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose the statement's date and CSV file.")
        return redirect("purchasing:facility-detail", facility.pk)
    upload = form.cleaned_data["file"]
    if upload.size > MAX_STATEMENT_BYTES:
        messages.error(request, "The statement is too large (5 MB at most).")
        return redirect("purchasing:facility-detail", facility.pk)
    try:
        content = upload.read().decode("utf-8-sig")
        statement = actions.import_lender_statement(
            request.user,
            facility,
            content=content,
            statement_on=form.cleaned_data["statement_on"],
            filename=upload.name,
        )
    except UnicodeDecodeError:
        messages.error(request, "The statement is not a UTF-8 CSV file.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        return redirect("purchasing:statement-detail", statement.pk)
    return redirect("purchasing:facility-detail", facility.pk)


@permission_required("purchasing.view_lenderstatement", raise_exception=True)
def statement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    statement = visible_or_404(LenderStatement, request.user, pk, related=("facility__rooftop",))
    context = {"statement": statement, "result": reconcile(statement)}
    return render(request, "purchasing/statement_detail.html", context)
