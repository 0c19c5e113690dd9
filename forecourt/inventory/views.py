"""Inventory screens: list (htmx filters), vehicle page, receive, edit, and the small
forms on the vehicle page. Thin adapters over search.py and the actions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from forecourt.accounts.models import Rooftop
from forecourt.core import audit_display
from forecourt.core.forms import add_action_errors, filter_error
from forecourt.core.htmx import is_htmx
from forecourt.core.list_urls import ListQuery
from forecourt.core.post_only import post_only
from forecourt.core.visibility import visible_or_404
from forecourt.inventory import actions
from forecourt.inventory.forms import (
    FILTER_LABELS,
    NUMBER_FILTERS,
    BulkForm,
    CostForm,
    HoldForm,
    PriceForm,
    ReceiveForm,
    StatusForm,
    VehicleForm,
    offer_floor_confirmation,
)
from forecourt.inventory.media import documents, photos
from forecourt.inventory.models import Condition, Status, Vehicle, VehicleHold
from forecourt.inventory.search import SORT_FIELDS, BadQuery, VehicleFilters, search, sees_costs
from forecourt.inventory.vehicle_panels import vehicle_panels_for
from forecourt.inventory.vin import get_decoder

SORTABLE_COLUMNS = [
    ("stock_number", "Stock #"),
    ("year", "Year"),
    ("make", "Make / model"),
    ("odometer", "Miles"),
    ("list_price", "List price"),
    ("acquired_on", "In stock since"),
]
VIEW = "inventory.view_vehicle"
STATUS_LABELS = dict(Status.choices)  # the list's rows are dicts: no get_status_display


@permission_required(VIEW, raise_exception=True)
def vehicle_list(request: HttpRequest) -> HttpResponse:
    rooftops = Rooftop.objects.for_user(request.user, "view")
    error = ""
    params = request.GET.copy()
    if "status" not in params and not params.get("q"):
        params.setlist("status", [Status.AVAILABLE])  # the front line, unless asked otherwise
    try:
        filters = VehicleFilters.from_query(params)
        page = search(
            Vehicle.objects.for_user(request.user, "view"),
            filters,
            cursor=request.GET.get("cursor", ""),
        )
    except BadQuery as bad:
        filters, page, error = VehicleFilters(), None, filter_error(bad, FILTER_LABELS)
    shown = filters.as_query()
    if "status" not in request.GET and not params.get("q"):
        shown.pop("status", None)  # the default, left implicit in the links
    links = ListQuery.of(
        reverse("inventory:vehicle-list"), shown, request.GET, defaulted=("status",)
    )
    columns = [
        {
            "label": label,
            "url": links.url(sort=name if filters.sort != name else f"-{name}"),
            "sorted": filters.sort.lstrip("-") == name,
            "descending": filters.sort.startswith("-"),
        }
        for name, label in SORTABLE_COLUMNS
    ]
    rooftop_by_id = {r.pk: r for r in rooftops}
    rows = page.rows if page else []
    covers = (
        photos.cover_photo_ids(row["id"] for row in rows)
        if request.user.has_perm("inventory.view_vehiclephoto")
        else {}
    )
    context = {
        "filters": filters,
        "page": page,
        "rows": [
            {
                **row,
                "rooftop_code": rooftop_by_id[row["rooftop_id"]].code,
                "currency": rooftop_by_id[row["rooftop_id"]].currency,
                "status_label": STATUS_LABELS.get(row["status"], row["status"]),
                "cover_photo_id": covers.get(row["id"]),
            }
            for row in rows
        ],
        "error": error,
        "columns": columns,
        "next_url": links.url(cursor=page.next_cursor) if page and page.next_cursor else "",
        "first_url": links.url(),
        "is_later_page": bool(request.GET.get("cursor")),
        "filters_open": any(v for k, v in request.GET.items() if k not in ("q", "sort", "cursor")),
        "rooftops": rooftops,
        "number_filters": [
            {
                "name": name,
                "label": FILTER_LABELS[name],
                "step": step,
                "value": getattr(filters, name),
            }
            for name, step in NUMBER_FILTERS
        ],
        "statuses": Status.choices,
        "conditions": Condition.choices,
        "sort_fields": SORT_FIELDS,
        "bulk_form": BulkForm(rooftops=rooftops),
        "return_query": request.GET.urlencode(),
        # The export links carry the list's effective filters (the front-line default
        # included: the export has no default) and are re-rendered with the results, so
        # they follow htmx filtering.
        "export_query": ListQuery("", filters.as_query()).query(),
    }
    template = "inventory/vehicle_list.html"
    if is_htmx(request, target="results"):
        template += "#results"
    return render(request, template, context)


@post_only
@permission_required(VIEW, raise_exception=True)
def vehicle_bulk(request: HttpRequest) -> HttpResponse:
    rooftops = Rooftop.objects.for_user(request.user, "view")
    form = BulkForm(request.POST, rooftops=rooftops)
    back = reverse("inventory:vehicle-list") + "?" + request.POST.get("return_query", "")
    if not form.is_valid():
        messages.error(request, "Choose vehicles and an action. " + " ".join(
            str(e) for errors in form.errors.values() for e in errors
        ))  # fmt: skip
        return redirect(back)
    data = form.cleaned_data
    try:
        if data["action"] in ("publish", "unpublish"):
            result = actions.bulk_set_published(
                request.user, data["ids"], data["action"] == "publish"
            )
        elif data["action"] == "status":
            result = actions.bulk_change_status(request.user, data["ids"], data["status"])
        else:
            result = actions.bulk_move_rooftop(request.user, data["ids"], data["rooftop"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(request, f"{len(result.changed)} vehicle(s) changed.")
    if result.skipped:
        messages.warning(
            request,
            f"{len(result.skipped)} skipped: "
            + "; ".join(f"#{pk}: {why}" for pk, why in list(result.skipped.items())[:5]),
        )
    return redirect(back)


@permission_required(VIEW, raise_exception=True)
def vehicle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vehicle = visible_or_404(Vehicle, request.user, pk)
    context = _detail_context(request, vehicle)
    context["vehicle_panels"] = vehicle_panels_for(request, vehicle)
    return render(request, "inventory/vehicle_detail.html", context)


def _next_statuses(vehicle: Vehicle) -> list[Status]:
    """The status changes the form offers: the legal moves (hold has its own form), in
    lifecycle order."""
    legal = actions.TRANSITIONS[Status(vehicle.status)] - {Status.ON_HOLD}
    return [status for status in Status if status in legal]


def _detail_context(request: HttpRequest, vehicle: Vehicle, **forms: Any) -> dict[str, Any]:
    allowed = _next_statuses(vehicle)
    hold = VehicleHold.objects.filter(vehicle=vehicle, released_at__isnull=True).first()
    initial = {"version": vehicle.version}
    return {
        "vehicle": vehicle,
        "costs": list(vehicle.costs.all()) if sees_costs(request.user) else [],
        "price_changes": list(vehicle.price_changes.select_related("changed_by")),
        "status_changes": list(vehicle.status_changes.select_related("changed_by")),
        "hold": hold,
        "audit_entries": audit_display.trail_for(request.user, vehicle),
        # Each form's own id prefix: two forms on the page have a "reason" field.
        "price_form": forms.get("price_form")
        or PriceForm(
            auto_id="price_%s",
            initial={
                **initial,
                "list_price": vehicle.list_price,
                "internet_price": vehicle.internet_price,
                "floor_price": vehicle.floor_price,
            },
        ),
        "status_form": forms.get("status_form")
        or StatusForm(auto_id="status_%s", initial=initial, allowed=allowed),
        "hold_form": forms.get("hold_form") or HoldForm(auto_id="hold_%s"),
        "cost_form": forms.get("cost_form") or CostForm(auto_id="cost_%s"),
        "can_change_status": bool(allowed),
        "has_buyers_guide": documents.has_buyers_guide(vehicle),
        "cover_photo_id": photos.cover_photo_ids([vehicle.pk]).get(vehicle.pk)
        if request.user.has_perm("inventory.view_vehiclephoto")
        else None,
    }


def _rerender(request: HttpRequest, vehicle: Vehicle, **forms: Any) -> HttpResponse:
    context = _detail_context(request, vehicle, **forms)
    return render(request, "inventory/vehicle_detail.html", context, status=422)


def _done(request: HttpRequest, vehicle: Vehicle, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("inventory:vehicle-detail", pk=vehicle.pk)


def _conflict(request: HttpRequest, vehicle: Vehicle, conflict: Exception) -> HttpResponse:
    messages.error(request, str(conflict))
    return redirect("inventory:vehicle-detail", pk=vehicle.pk)


@post_only
def vehicle_price(request: HttpRequest, pk: int) -> HttpResponse:
    vehicle = visible_or_404(Vehicle, request.user, pk)
    form = PriceForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.change_price(
                request.user,
                vehicle,
                expected_version=data["version"],
                reason=data["reason"],
                list_price=data["list_price"],
                internet_price=data["internet_price"],
                floor_price=data["floor_price"],
                confirm_floor_above_list=data["confirm_floor_above_list"],
            )
        except actions.VersionConflict as conflict:
            return _conflict(request, vehicle, conflict)
        except ValidationError as error:
            add_action_errors(form, error)
            offer_floor_confirmation(form, error)
        else:
            return _done(request, vehicle, "Price updated.")
    return _rerender(request, vehicle, price_form=form)


@post_only
def vehicle_status(request: HttpRequest, pk: int) -> HttpResponse:
    vehicle = visible_or_404(Vehicle, request.user, pk)
    form = StatusForm(request.POST, allowed=_next_statuses(vehicle))
    if form.is_valid():
        data = form.cleaned_data
        try:
            changed = actions.change_status(
                request.user,
                vehicle,
                to_status=data["status"],
                reason=data["reason"],
                expected_version=data["version"],
            )
        except actions.VersionConflict as conflict:
            return _conflict(request, vehicle, conflict)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return _done(request, changed, f"Status is now {changed.get_status_display()}.")
    return _rerender(request, vehicle, status_form=form)


@post_only
def vehicle_hold(request: HttpRequest, pk: int) -> HttpResponse:
    vehicle = visible_or_404(Vehicle, request.user, pk)
    form = HoldForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.hold_vehicle(
                request.user,
                vehicle,
                deal_reference=data["deal_reference"],
                customer_name=data["customer_name"],
                expires_at=timezone.now() + timedelta(hours=data["hours"]),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return _done(request, vehicle, f"On hold for deal {data['deal_reference']}.")
    return _rerender(request, vehicle, hold_form=form)


@post_only
def vehicle_release(request: HttpRequest, pk: int) -> HttpResponse:
    vehicle = visible_or_404(Vehicle, request.user, pk)
    try:
        actions.release_hold(request.user, vehicle, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("inventory:vehicle-detail", pk=pk)
    return _done(request, vehicle, "Hold released.")


@post_only
def vehicle_cost(request: HttpRequest, pk: int) -> HttpResponse:
    vehicle = visible_or_404(Vehicle, request.user, pk)
    form = CostForm(request.POST)
    if form.is_valid():
        try:
            actions.add_cost(request.user, vehicle, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return _done(request, vehicle, "Cost added.")
    return _rerender(request, vehicle, cost_form=form)


@permission_required("inventory.change_vehicle", raise_exception=True)
def vehicle_edit(request: HttpRequest, pk: int) -> HttpResponse:
    vehicle = visible_or_404(Vehicle, request.user, pk)
    form = VehicleForm(request.POST or None, instance=vehicle)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            actions.update_vehicle(request.user, vehicle.pk, expected_version=version, **data)
        except actions.VersionConflict as conflict:
            form.add_error(None, str(conflict))
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return _done(request, vehicle, "Vehicle saved.")
    status = 422 if request.method == "POST" else 200
    return render(
        request, "inventory/vehicle_form.html", {"form": form, "vehicle": vehicle}, status=status
    )


@permission_required("inventory.add_vehicle", raise_exception=True)
def vehicle_receive(request: HttpRequest) -> HttpResponse:
    rooftops = Rooftop.objects.for_user(request.user, "view")
    decoded = None
    duplicate = None
    if request.method == "POST":
        form = ReceiveForm(request.POST, rooftops=rooftops)
        if form.is_valid():
            data = dict(form.cleaned_data)
            rooftop = data.pop("rooftop")
            try:
                vehicle = actions.receive_vehicle(request.user, rooftop=rooftop, **data)
            except ValidationError as error:
                add_action_errors(form, error)
                offer_floor_confirmation(form, error)
            else:
                note = " ".join(vehicle.vin_warnings)  # type: ignore[attr-defined]
                return _done(request, vehicle, f"Received {vehicle.stock_number}. {note}".strip())
    else:
        initial: dict[str, Any] = {k: v for k, v in request.GET.items() if v}
        if rooftops.count() == 1:
            initial.setdefault("rooftop", rooftops.first())
        vin = initial.get("vin", "")
        if vin:
            decoded = get_decoder().decode(vin)
            initial["vin"] = decoded.vin
            for name in ("year", "make", "model", "trim", "body_style", "engine"):
                value = getattr(decoded, name)
                if value and not initial.get(name):
                    initial[name] = value
            duplicate = (
                Vehicle.objects.for_user(request.user, "view")
                .active()
                .filter(vin=decoded.vin)
                .first()
            )
        form = ReceiveForm(initial=initial, rooftops=rooftops)
    context = {"form": form, "decoded": decoded, "duplicate": duplicate}
    template = "inventory/vehicle_receive.html"
    if is_htmx(request, target="receive-form"):
        template += "#receive-form"
    return render(request, template, context, status=422 if form.errors else 200)
