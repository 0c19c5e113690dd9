"""Inventory API: /api/v1/vehicles. Thin adapters over the actions and reads.py.

The hot reads (list, detail) skip per-row model and schema instantiation: rows come from
`.values()` and go straight to orjson. Their `response=` declarations still describe exactly
what they return, so the OpenAPI document stays the contract (tests check both agree).
"""

from __future__ import annotations

import re
import typing
from decimal import Decimal
from typing import Any

import orjson
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja import Status as Respond
from ninja.errors import HttpError

from forecourt.accounts.auth import authenticate_token, bearer_token
from forecourt.accounts.models import ApiTokenScope, Rooftop
from forecourt.core.api_errors import READ_ERRORS, WRITE_ERRORS, as_api_error, error_responses
from forecourt.core.api_responses import decimal_text, json_response, to_json_bytes
from forecourt.core.api_writes import run_action
from forecourt.core.concurrency import expected_version
from forecourt.core.idempotency import idempotent
from forecourt.core.lanes import documented_operation
from forecourt.core.visibility import visible_or_404
from forecourt.inventory import actions, reads
from forecourt.inventory.imports.api import router as imports_router
from forecourt.inventory.media.api import router as media_router
from forecourt.inventory.models import (
    Status,
    Vehicle,
    VehicleCost,
    VehicleHold,
    VehiclePriceChange,
    VehicleStatusChange,
    aging_bucket,
)
from forecourt.inventory.schemas import (
    CostIn,
    CostOut,
    DecodedVinOut,
    HoldIn,
    HoldOut,
    PriceChangeIn,
    StatusChangeIn,
    VehicleCreate,
    VehicleHistory,
    VehicleOut,
    VehiclePage,
    VehicleUpdate,
)
from forecourt.inventory.search import (
    COST_FIELDS,
    DEFAULT_LIMIT,
    MAX_LIMIT,
    STATUS_VALUES,
    BadQuery,
    Page,
    VehicleFilters,
    sees_costs,
)
from forecourt.inventory.vin import get_decoder, normalize

router = Router(tags=["inventory"])
CONDITIONAL_ERRORS = (*WRITE_ERRORS, 412)


def _money(value: Any) -> str | None:
    return None if value is None else decimal_text(Decimal(value))


def _finish_detail(row: dict[str, Any], user: Any) -> dict[str, Any]:
    """Add what is computed from the row: true cost, days in stock, aging bucket; costs are
    null for a user without the cost permission."""
    end = timezone.localdate(row["sold_at"]) if row["sold_at"] else timezone.localdate()
    days = max(0, (end - row["acquired_on"]).days)
    added = Decimal(row["added_costs"] or 0)
    row["added_costs"] = _money(added)
    row["true_cost"] = _money(Decimal(row["acquisition_cost"]) + added)
    row["days_in_stock"] = days
    row["aging_bucket"] = aging_bucket(days).value
    for name in ("drivetrain", "transmission", "fuel_type"):
        row[name] = row[name] or None
    row.setdefault("vin_warnings", [])
    if not sees_costs(user):
        row.update(dict.fromkeys(COST_FIELDS))
    return row


def _detail(
    request: HttpRequest, *, pk: int | None = None, vin: str | None = None
) -> dict[str, Any]:
    row = reads.detail(request.user, pk=pk, vin=normalize(vin) if vin is not None else None)
    if row is None:
        raise Http404
    return _finish_detail(row, request.user)


def _page_response(page: Page) -> Any:
    return json_response(
        {"items": page.rows, "next_cursor": page.next_cursor, "has_next": page.has_next}
    )


def _detail_response(row: dict[str, Any], status: int = 200) -> Any:
    return json_response(row, status, {"ETag": f'"{row["version"]}"'})


def _visible_id(request: HttpRequest, vehicle_id: int) -> int:
    """`visible_or_404` for the hot writes, whose actions lock and re-read the row themselves:
    one small compiled query instead of loading the row."""
    if not reads.is_visible(request.user, vehicle_id):
        raise Http404
    return vehicle_id


class VehicleQuery(Schema):
    q: str = ""
    rooftop: int | None = None
    status: list[Status] = []
    condition: str = ""
    make: str = ""
    model: str = ""
    year_min: int | None = None
    year_max: int | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    mileage_min: int | None = None
    mileage_max: int | None = None
    days_min: int | None = None
    days_max: int | None = None
    published: bool | None = None
    sort: str = "-acquired_on"
    cursor: str = ""
    limit: int = DEFAULT_LIMIT


@router.get(
    "/vehicles",
    response={200: VehiclePage, **error_responses(*READ_ERRORS, 422)},
    summary="Search vehicles (filters, sort, keyset pages)",
    description=(
        "Same filters and sorts as the inventory screen. `q` matches a whole VIN, the last "
        "6-8 characters of a VIN, a stock-number prefix, a make or model prefix, or a make "
        "then a model (`Ford Focus`); a term with digits that matches no stock number or VIN "
        "is read as a make or model (`RAV4`, `F-150`). Sort by "
        "acquired_on, list_price, year, odometer, stock_number or make (prefix `-` for "
        "descending). Pages are keyset pages: pass `next_cursor` back as `cursor`. There is "
        "no total count (it would cost a scan of every match)."
    ),
)
def list_vehicles(request: HttpRequest, filters: Query[VehicleQuery]) -> Any:
    if not 1 <= filters.limit <= MAX_LIMIT:
        raise as_api_error(ValidationError({"limit": f"Between 1 and {MAX_LIMIT}."}))
    try:
        parsed = VehicleFilters.from_query(request.GET)
        page = reads.list_page(request.user, parsed, cursor=filters.cursor, limit=filters.limit)
    except BadQuery as error:
        raise as_api_error(ValidationError({error.field_name: str(error)})) from None
    return _page_response(page)


@router.get(
    "/vehicles/{vehicle_id}",
    response={200: VehicleOut, **error_responses(*READ_ERRORS)},
    summary="Get a vehicle by id",
    description="The `ETag` header carries the version to send back in `If-Match`.",
)
def get_vehicle(request: HttpRequest, vehicle_id: int) -> Any:
    return _detail_response(_detail(request, pk=vehicle_id))


@router.get(
    "/vehicles/by-vin/{vin}",
    response={200: VehicleOut, **error_responses(*READ_ERRORS)},
    summary="Get a vehicle by VIN (the newest unit with it)",
)
def get_vehicle_by_vin(request: HttpRequest, vin: str) -> Any:
    return _detail_response(_detail(request, vin=vin))


# --- The token lane's lean reads -----------------------------------------------------------
# An API-token request (forecourt/core/lanes.py) for one of the three hot reads above is
# routed to the views below instead (forecourt/token_lane_urls.py). They run the same
# middleware, token check, search and serialisation as the operations above, without
# ninja's parameter models and dispatch (docs/performance.md, "Lean reads"). They take
# only the plain case -- known parameters with simple values, a usable token, a row found
# -- and hand every other request to the operation above, so every answer but that 200 is
# the documented operation's own (tests/test_lean_reads.py compares the two).

# Values both parsers read alike: ninja's (pydantic) and VehicleFilters.from_query.
_PLAIN_VALUES = {
    int: re.compile(r"[0-9]{1,9}"),
    Decimal: re.compile(r"[0-9]{1,10}(\.[0-9]{1,2})?"),
    bool: re.compile(r"true|false|1|0"),
}


def _parameter_kinds() -> dict[str, Any]:
    """VehicleQuery's fields -> the type of their values (int for `int | None`)."""
    kinds = {}
    for name, field in VehicleQuery.model_fields.items():
        annotation = field.annotation
        if typing.get_origin(annotation) is list:
            kinds[name] = list
        else:
            options = typing.get_args(annotation) or (annotation,)
            kinds[name] = next(kind for kind in options if kind is not type(None))
    return kinds


_LIST_PARAMETERS = _parameter_kinds()


def _is_plain(name: str, values: list[str]) -> bool:
    kind = _LIST_PARAMETERS.get(name)
    if kind is list:  # status, the one repeatable parameter
        return all(value in STATUS_VALUES for value in values)
    if kind is None or len(values) != 1:
        return False
    pattern = _PLAIN_VALUES.get(kind)
    return kind is str or (pattern is not None and pattern.fullmatch(values[0]) is not None)


def _signed_in_reader(request: HttpRequest) -> bool:
    """Whether the bearer token is usable for reading (it then sets request.user)."""
    token = bearer_token(request)
    try:
        return token is not None and bool(authenticate_token(request, token, ApiTokenScope.READ))
    except HttpError:  # no read scope: the operation answers the 403
        return False


def list_vehicles_lean(request: HttpRequest) -> HttpResponse:
    params = request.GET
    if request.method != "GET" or not all(_is_plain(n, params.getlist(n)) for n in params):
        return documented_operation(request)
    limit = int(params.get("limit", DEFAULT_LIMIT))
    if not 1 <= limit <= MAX_LIMIT or not _signed_in_reader(request):
        return documented_operation(request)
    try:
        filters = VehicleFilters.from_query(params)
        page = reads.list_page(request.user, filters, cursor=params.get("cursor", ""), limit=limit)
    except BadQuery:
        return documented_operation(request)
    return _page_response(page)


def get_vehicle_lean(request: HttpRequest, vehicle_id: int) -> HttpResponse:
    if request.method != "GET" or not _signed_in_reader(request):
        return documented_operation(request)
    row = reads.detail(request.user, pk=vehicle_id)
    return (
        documented_operation(request)
        if row is None
        else _detail_response(_finish_detail(row, request.user))
    )


def get_vehicle_by_vin_lean(request: HttpRequest, vin: str) -> HttpResponse:
    if request.method != "GET" or not _signed_in_reader(request):
        return documented_operation(request)
    row = reads.detail(request.user, vin=normalize(vin))
    return (
        documented_operation(request)
        if row is None
        else _detail_response(_finish_detail(row, request.user))
    )


# Same paths and route names as the operations above (logs and metrics see one route).
token_lane_urlpatterns: list[URLPattern] = [
    path("vehicles", list_vehicles_lean, name="list_vehicles"),
    path("vehicles/<int:vehicle_id>", get_vehicle_lean, name="get_vehicle"),
    path("vehicles/by-vin/<str:vin>", get_vehicle_by_vin_lean, name="get_vehicle_by_vin"),
]


@router.post(
    "/vehicles",
    response={201: VehicleOut, **error_responses(400, *WRITE_ERRORS)},
    summary="Receive a vehicle into stock",
    description=(
        "Send an `Idempotency-Key` header to make retries safe: the same key and body "
        "return the first response again (header `Idempotent-Replayed: true`); the same key "
        "with a different body is refused with 422."
    ),
)
def create_vehicle(request: HttpRequest, payload: VehicleCreate) -> Any:
    rooftop = visible_or_404(Rooftop, request.user, payload.rooftop_id)
    fields = payload.model_dump(exclude={"rooftop_id"}, exclude_none=True)
    for name in ("drivetrain", "transmission", "fuel_type"):
        fields.setdefault(name, "")

    def run() -> tuple[int, Any, dict[str, str]]:
        vehicle = run_action(
            lambda: actions.receive_vehicle(request.user, rooftop=rooftop, **fields)
        )
        row = _detail(request, pk=vehicle.pk)
        row["vin_warnings"] = vehicle.vin_warnings  # type: ignore[attr-defined]
        body = orjson.loads(to_json_bytes(row))
        headers = {"ETag": f'"{row["version"]}"', "Location": f"/api/v1/vehicles/{vehicle.pk}"}
        return 201, body, headers

    return idempotent(request, run)


@router.patch(
    "/vehicles/{vehicle_id}",
    response={200: VehicleOut, **error_responses(400, *CONDITIONAL_ERRORS)},
    summary="Update a vehicle (optimistic concurrency)",
    description=(
        'Send the version you read as `If-Match: "3"` (a stale one answers 412) or as the '
        "`version` field (a stale one answers 409). A stale update never overwrites."
    ),
)
def update_vehicle(request: HttpRequest, vehicle_id: int, payload: VehicleUpdate) -> Any:
    vehicle = visible_or_404(Vehicle, request.user, vehicle_id)
    version, mismatch = expected_version(request, payload.version)
    fields = payload.model_dump(exclude={"version"}, exclude_unset=True)
    run_action(
        lambda: actions.update_vehicle(request.user, vehicle, expected_version=version, **fields),
        mismatch,
    )
    return _detail_response(_detail(request, pk=vehicle_id))


@router.post(
    "/vehicles/{vehicle_id}/price",
    response={200: VehicleOut, **error_responses(400, *CONDITIONAL_ERRORS)},
    summary="Change prices (kept in the price history)",
)
def change_price(request: HttpRequest, vehicle_id: int, payload: PriceChangeIn) -> Any:
    vehicle = _visible_id(request, vehicle_id)
    version, mismatch = expected_version(request, payload.version)
    prices = payload.model_dump(exclude={"version", "reason"}, exclude_unset=True)
    run_action(
        lambda: actions.change_price(
            request.user, vehicle, reason=payload.reason, expected_version=version, **prices
        ),
        mismatch,
    )
    return _detail_response(_detail(request, pk=vehicle_id))


@router.post(
    "/vehicles/{vehicle_id}/status",
    response={200: VehicleOut, **error_responses(400, *CONDITIONAL_ERRORS)},
    summary="Move a vehicle to another status (legal transitions only)",
    description=(
        "incoming -> in_reconditioning -> available -> sold -> delivered; also wholesale and "
        "removed; sold/delivered -> available unwinds a sale (reason required). on_hold is "
        "entered by placing a hold."
    ),
)
def change_status(request: HttpRequest, vehicle_id: int, payload: StatusChangeIn) -> Any:
    vehicle = _visible_id(request, vehicle_id)
    version, mismatch = expected_version(request, payload.version)
    run_action(
        lambda: actions.change_status(
            request.user,
            vehicle,
            to_status=payload.status,
            reason=payload.reason,
            expected_version=version,
        ),
        mismatch,
    )
    return _detail_response(_detail(request, pk=vehicle_id))


@router.post(
    "/vehicles/{vehicle_id}/hold",
    response={201: HoldOut, **error_responses(*WRITE_ERRORS)},
    summary="Hold a vehicle for a deal (one deal at a time)",
)
def hold_vehicle(request: HttpRequest, vehicle_id: int, payload: HoldIn) -> Any:
    vehicle = visible_or_404(Vehicle, request.user, vehicle_id)
    hold = run_action(
        lambda: actions.hold_vehicle(
            request.user,
            vehicle,
            deal_reference=payload.deal_reference,
            customer_name=payload.customer_name,
            expires_at=payload.expires_at,
        ),
    )
    return Respond(201, hold)


@router.delete(
    "/vehicles/{vehicle_id}/hold",
    response={200: HoldOut, **error_responses(*WRITE_ERRORS)},
    summary="Release the vehicle's hold",
)
def release_hold(request: HttpRequest, vehicle_id: int, reason: str = "") -> VehicleHold:
    vehicle = visible_or_404(Vehicle, request.user, vehicle_id)
    return run_action(lambda: actions.release_hold(request.user, vehicle, reason=reason))


@router.get(
    "/vehicles/{vehicle_id}/costs",
    response={200: list[CostOut], **error_responses(*READ_ERRORS)},
    summary="List a vehicle's added costs",
)
def list_costs(request: HttpRequest, vehicle_id: int) -> list[dict[str, Any]]:
    vehicle = visible_or_404(Vehicle, request.user, vehicle_id)
    if not sees_costs(request.user):
        raise PermissionDenied("Seeing a vehicle's costs needs the cost permission.")
    return [_cost_dict(cost) for cost in VehicleCost.objects.filter(vehicle=vehicle)]


@router.post(
    "/vehicles/{vehicle_id}/costs",
    response={201: CostOut, **error_responses(*WRITE_ERRORS)},
    summary="Add a cost (reconditioning, transport, ...) to a vehicle",
)
def add_cost(request: HttpRequest, vehicle_id: int, payload: CostIn) -> Any:
    vehicle = visible_or_404(Vehicle, request.user, vehicle_id)
    cost = run_action(lambda: actions.add_cost(request.user, vehicle, **payload.model_dump()))
    return Respond(201, _cost_dict(cost))


def _cost_dict(cost: VehicleCost) -> dict[str, Any]:
    return {
        "id": cost.pk,
        "kind": cost.kind,
        "amount": _money(cost.amount),
        "vendor": cost.vendor,
        "incurred_on": cost.incurred_on,
        "description": cost.description,
        "created_at": cost.created_at,
    }


@router.get(
    "/vehicles/{vehicle_id}/history",
    response={200: VehicleHistory, **error_responses(*READ_ERRORS)},
    summary="A vehicle's price and status history",
)
def vehicle_history(request: HttpRequest, vehicle_id: int) -> Any:
    vehicle = visible_or_404(Vehicle, request.user, vehicle_id)
    prices = [
        {
            "field": p.field,
            "old_price": _money(p.old_price),
            "new_price": _money(p.new_price),
            "reason": p.reason,
            "changed_at": p.changed_at,
            "changed_by": p.changed_by.email if p.changed_by else None,
        }
        for p in VehiclePriceChange.objects.filter(vehicle=vehicle).select_related("changed_by")
    ]
    statuses = [
        {
            "from_status": s.from_status,
            "to_status": s.to_status,
            "reason": s.reason,
            "changed_at": s.changed_at,
            "changed_by": s.changed_by.email if s.changed_by else None,
        }
        for s in VehicleStatusChange.objects.filter(vehicle=vehicle).select_related("changed_by")
    ]
    return json_response({"prices": prices, "statuses": statuses})


@router.get(
    "/vin-decode/{vin}",
    response={200: DecodedVinOut, **error_responses(*READ_ERRORS)},
    summary="Decode a VIN (offline, or NHTSA vPIC when configured) and find duplicates",
)
def decode_vin(request: HttpRequest, vin: str) -> dict[str, Any]:
    if not request.user.has_perm("inventory.view_vehicle"):
        raise HttpError(403, "Your role does not allow this (inventory.view_vehicle).")
    decoded = get_decoder().decode(vin).as_dict()
    duplicate = (
        Vehicle.objects.for_user(request.user, "view")
        .active()
        .filter(vin=decoded["vin"])
        .values_list("pk", flat=True)
        .first()
    )
    return {**decoded, "active_vehicle_id": duplicate}


# The media (photos, documents, warranty terms) and imports rooms' endpoints, under the
# same /api/v1/ prefix, after the vehicle operations (the OpenAPI order).
router.add_router("", media_router)
router.add_router("", imports_router)
