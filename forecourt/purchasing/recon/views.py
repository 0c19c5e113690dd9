"""Recon screens: the board by stage, a vehicle's recon page (moves, work items), the
numbers (time-to-line, bottleneck, cost vs estimate). Thin adapters over recon/actions.py."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from forecourt.accounts.models import Rooftop, User
from forecourt.core.forms import add_action_errors
from forecourt.core.visibility import visible_or_404
from forecourt.inventory.models import Vehicle
from forecourt.purchasing.recon import actions
from forecourt.purchasing.recon.forms import (
    ApprovalLimitForm,
    CompleteForm,
    MoveForm,
    StageForm,
    WorkItemForm,
)
from forecourt.purchasing.recon.models import ReconOrder, ReconSettings, WorkItem
from forecourt.purchasing.recon.reads import board, recon_report, vehicle_timing

REPORT_DAYS = 90


def _rooftop(request: HttpRequest) -> Rooftop:
    rooftops = Rooftop.objects.for_user(request.user, "view")
    chosen = request.GET.get("rooftop", "")
    rooftop = rooftops.filter(pk=chosen).first() if chosen.isdigit() else rooftops.first()
    if rooftop is None:
        raise Http404("No rooftop.")
    return rooftop


def _people(rooftop_id: int) -> Any:
    return User.objects.filter(rooftops=rooftop_id, is_active=True).order_by("full_name")


@permission_required("purchasing.view_reconorder", raise_exception=True)
def recon_board(request: HttpRequest) -> HttpResponse:
    rooftop = _rooftop(request)
    context = {
        "rooftop": rooftop,
        "rooftops": Rooftop.objects.for_user(request.user, "view"),
        "columns": board(request.user, rooftop),
    }
    return render(request, "purchasing/recon_board.html", context)


@permission_required("purchasing.view_reconorder", raise_exception=True)
def recon_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = visible_or_404(ReconOrder, request.user, pk, related=("vehicle", "stage"))
    stages = actions.ensure_stages(order.vehicle.rooftop)
    context = {
        "order": order,
        "timing": vehicle_timing(order),
        "visits": order.visits.select_related("stage", "owner"),
        "items": order.work_items.select_related("stage"),
        "move_form": MoveForm(
            stages=[s for s in stages if s.pk != order.stage_id],
            people=_people(order.vehicle.rooftop_id),
            initial={"version": order.version},
        ),
        "item_form": WorkItemForm(),
        "complete_form": CompleteForm(),
    }
    return render(request, "purchasing/recon_detail.html", context)


@require_POST
@permission_required("purchasing.add_reconorder", raise_exception=True)
def recon_start(request: HttpRequest, vehicle_id: int) -> HttpResponse:
    vehicle = visible_or_404(Vehicle, request.user, vehicle_id)
    try:
        order = actions.start_recon(request.user, vehicle)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("inventory:vehicle-detail", vehicle.pk)
    return redirect("purchasing:recon-detail", order.pk)


@require_POST
@permission_required("purchasing.change_reconorder", raise_exception=True)
def recon_move(request: HttpRequest, pk: int) -> HttpResponse:
    order = visible_or_404(ReconOrder, request.user, pk, related=("vehicle",))
    stages = actions.ensure_stages(order.vehicle.rooftop)
    form = MoveForm(request.POST, stages=stages, people=_people(order.vehicle.rooftop_id))
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.move_to_stage(
                request.user,
                order,
                data["stage"],
                owner=data["owner"],
                due_on=data["due_on"],
                notes=data["notes"],
                expected_version=data["version"],
            )
            messages.success(request, "Moved.")
        except (ValidationError, actions.ReconVersionConflict) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.error(request, "Choose a stage.")
    if request.POST.get("from") == "board":
        return redirect(reverse("purchasing:recon-board") + f"?rooftop={order.vehicle.rooftop_id}")
    return redirect("purchasing:recon-detail", order.pk)


@require_POST
@permission_required("purchasing.add_workitem", raise_exception=True)
def work_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    order = visible_or_404(ReconOrder, request.user, pk)
    form = WorkItemForm(request.POST)
    if form.is_valid():
        try:
            actions.add_work_item(request.user, order, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, "Describe the work and its estimate.")
    return redirect("purchasing:recon-detail", order.pk)


@require_POST
@permission_required("purchasing.view_workitem", raise_exception=True)
def work_item_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve, decline or complete a work item (the action checks each permission)."""
    item = visible_or_404(WorkItem, request.user, pk)
    decision = request.POST.get("decision", "")
    try:
        if decision in ("approve", "decline"):
            actions.decide_work_item(request.user, item, approve=decision == "approve")
        else:
            form = CompleteForm(request.POST)
            if not form.is_valid():
                raise ValidationError({"actual": "Enter the actual cost."})
            actions.complete_work_item(request.user, item, actual=form.cleaned_data["actual"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("purchasing:recon-detail", item.order_id)


@permission_required("purchasing.view_reconorder", raise_exception=True)
def recon_numbers(request: HttpRequest) -> HttpResponse:
    rooftop = _rooftop(request)
    since = timezone.localdate() - timedelta(days=REPORT_DAYS)
    context = {
        "rooftop": rooftop,
        "report": recon_report(request.user, rooftop, since),
        "since": since,
        "rooftops": Rooftop.objects.for_user(request.user, "view"),
    }
    return render(request, "purchasing/recon_numbers.html", context)


@permission_required("purchasing.view_reconstage", raise_exception=True)
def recon_stages(request: HttpRequest) -> HttpResponse:
    """A rooftop's stages and approval limit; changing them needs change_reconstage."""
    rooftop = _rooftop(request)
    stage_form = StageForm(request.POST if "key" in request.POST else None)
    limit_form = ApprovalLimitForm(request.POST if "approval_limit" in request.POST else None)
    if request.method == "POST":
        try:
            if stage_form.is_bound and stage_form.is_valid():
                actions.configure_stage(request.user, rooftop, **stage_form.cleaned_data)
                return redirect(reverse("purchasing:recon-stages") + f"?rooftop={rooftop.pk}")
            if limit_form.is_bound and limit_form.is_valid():
                actions.set_approval_limit(
                    request.user, rooftop, limit_form.cleaned_data["approval_limit"]
                )
                return redirect(reverse("purchasing:recon-stages") + f"?rooftop={rooftop.pk}")
        except ValidationError as error:
            add_action_errors(stage_form if stage_form.is_bound else limit_form, error)
    limit = ReconSettings.objects.filter(rooftop=rooftop).first()
    context = {
        "rooftop": rooftop,
        "stages": actions.ensure_stages(rooftop),
        "stage_form": stage_form,
        "limit_form": limit_form,
        "limit": limit.approval_limit
        if limit
        else ReconSettings._meta.get_field("approval_limit").default,
    }
    status = 422 if stage_form.errors or limit_form.errors else 200
    return render(request, "purchasing/recon_stages.html", context, status=status)
