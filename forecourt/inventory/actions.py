"""Every write to inventory: one function per business operation.

Each runs in one transaction, checks the actor's permission and rooftop, locks the vehicle
row (so two app processes serialise on it), and writes its audit entry. Bad input raises
ValidationError with field messages before anything is written.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

import orjson
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from forecourt.accounts.models import Rooftop
from forecourt.core import audit
from forecourt.core.models import AuditEntry
from forecourt.core.permissions import require_permission, sees_all_rooftops
from forecourt.inventory.models import (
    ACTIVE_STATUSES,
    CostKind,
    OdometerBrand,
    Status,
    StockNumberSettings,
    Vehicle,
    VehicleCost,
    VehicleHold,
    VehiclePriceChange,
    VehicleStatusChange,
)
from forecourt.inventory.vin import check_vin

# The legal moves; anything else is refused. ON_HOLD is entered only through hold_vehicle.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.INCOMING: frozenset(
        {Status.IN_RECONDITIONING, Status.AVAILABLE, Status.WHOLESALE, Status.REMOVED}
    ),
    Status.IN_RECONDITIONING: frozenset({Status.AVAILABLE, Status.WHOLESALE, Status.REMOVED}),
    Status.AVAILABLE: frozenset(
        {Status.IN_RECONDITIONING, Status.ON_HOLD, Status.SOLD, Status.WHOLESALE, Status.REMOVED}
    ),
    Status.ON_HOLD: frozenset({Status.AVAILABLE, Status.SOLD}),
    Status.SOLD: frozenset({Status.DELIVERED, Status.AVAILABLE}),
    Status.DELIVERED: frozenset({Status.AVAILABLE}),
    Status.WHOLESALE: frozenset(),
    Status.REMOVED: frozenset(),
}
UNWIND_FROM = frozenset({Status.SOLD, Status.DELIVERED})
PRICE_FIELDS = ("list_price", "internet_price", "floor_price")
# Fields update_vehicle may change; prices, status and rooftop have their own actions.
EDITABLE_FIELD_ORDER = (
    "vin",
    "stock_number",
    "condition",
    "year",
    "make",
    "model",
    "trim",
    "body_style",
    "drivetrain",
    "engine",
    "transmission",
    "fuel_type",
    "exterior_color",
    "interior_color",
    "odometer",
    "odometer_brand",
    "title_status",
    "title_brand",
    "acquisition_source",
    "acquired_on",
    "acquisition_cost",
    "lot_location",
    "key_tag",
    "notes",
    "is_published",
)
EDITABLE_FIELDS = frozenset(EDITABLE_FIELD_ORDER)
RECEIVE_FIELDS = EDITABLE_FIELDS | set(PRICE_FIELDS) | {"status"}
DEFAULT_HOLD = timedelta(hours=48)
MAX_HOLD = timedelta(days=14)


class VersionConflict(Exception):
    """The vehicle changed since the caller read it (optimistic concurrency)."""

    def __init__(self, current_version: int) -> None:
        self.current_version = current_version
        super().__init__(
            f"The vehicle was changed by someone else (now version {current_version}). "
            "Reload it and apply your change again."
        )


# --- helpers -------------------------------------------------------------------------


def can_reach_rooftop(actor: Any, rooftop_id: int) -> bool:
    return sees_all_rooftops(actor) or actor.rooftops.filter(pk=rooftop_id).exists()


def _require_rooftop(actor: Any, rooftop_id: int) -> None:
    if not can_reach_rooftop(actor, rooftop_id):
        raise PermissionDenied("This vehicle belongs to a rooftop you do not work at.")


def _lock(actor: Any, vehicle: Vehicle | int, permission: str) -> Vehicle:
    """Check the permission, lock the row and check the rooftop. Returns the fresh row.

    One round trip: the rooftop check rides along in the locking SELECT (an EXISTS in the
    select list; FOR UPDATE locks only the vehicle row)."""
    require_permission(actor, permission)
    pk = vehicle.pk if isinstance(vehicle, Vehicle) else vehicle
    if sees_all_rooftops(actor):
        return Vehicle.objects.select_for_update().get(pk=pk)
    reaches = Exists(actor.rooftops.filter(pk=OuterRef("rooftop_id")))
    locked = Vehicle.objects.select_for_update().annotate(actor_reaches=reaches).get(pk=pk)
    if not locked.actor_reaches:
        raise PermissionDenied("This vehicle belongs to a rooftop you do not work at.")
    return locked


def _check_version(vehicle: Vehicle, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != vehicle.version:
        raise VersionConflict(vehicle.version)


def _save(vehicle: Vehicle, fields: Iterable[str]) -> None:
    vehicle.version += 1
    vehicle.updated_at = timezone.now()
    vehicle.save(update_fields=[*set(fields), "version", "updated_at"])


def _clean(vehicle: Vehicle, only: Iterable[str] | None = None) -> None:
    """Field validation plus the database constraints (VIN among active units, stock no.).

    `only`: the fields an action changed; the others, unchanged since they were validated,
    are not checked again (nor the unique checks and constraints that involve them, each a
    query)."""
    if only is None:
        vehicle.full_clean()
        return
    changed = set(only)
    vehicle.full_clean(
        exclude=[f.name for f in Vehicle._meta.concrete_fields if f.name not in changed]
    )


def _validate_vin(vin: str) -> tuple[str, list[str]]:
    check = check_vin(vin)
    if not check.is_valid:
        raise ValidationError({"vin": check.errors})
    return check.vin, check.warnings


def _validate_prices(values: dict[str, Any]) -> dict[str, Decimal | None]:
    errors: dict[str, str] = {}
    prices: dict[str, Decimal | None] = {}
    for name in PRICE_FIELDS:
        if name not in values:
            continue
        raw = values[name]
        if raw is None or raw == "":
            if name == "list_price":
                errors[name] = "A list price is required."
            prices[name] = None
            continue
        try:
            price = Decimal(str(raw)).quantize(Decimal("0.01"))
        except ArithmeticError:
            errors[name] = "Enter a number."
            continue
        if price < 0:
            errors[name] = "A price cannot be negative."
        prices[name] = price
    if errors:
        raise ValidationError(errors)
    return prices


def _record_price_changes(
    actor: Any, vehicle: Vehicle, before: dict[str, Any], reason: str
) -> list[str]:
    changed = [name for name in PRICE_FIELDS if getattr(vehicle, name) != before[name]]
    VehiclePriceChange.objects.bulk_create(
        VehiclePriceChange(
            vehicle=vehicle,
            changed_by=actor if getattr(actor, "is_authenticated", False) else None,
            field=name,
            old_price=before[name],
            new_price=getattr(vehicle, name),
            reason=reason[:200],
        )
        for name in changed
    )
    return changed


# --- stock numbers -------------------------------------------------------------------

_PLACEHOLDERS = {"rooftop_code", "yy", "yyyy", "seq", "vin6"}


def validate_stock_number_pattern(pattern: str) -> None:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
        pattern.format(rooftop_code="X", yy="26", yyyy="2026", seq=1, vin6="123456")
    except (ValueError, KeyError, IndexError) as error:
        raise ValidationError({"pattern": f"Not a valid pattern: {error}."}) from None
    if names - _PLACEHOLDERS:
        unknown = ", ".join(sorted(names - _PLACEHOLDERS))
        raise ValidationError({"pattern": f"Unknown placeholder(s): {unknown}."})
    if "seq" not in names:
        raise ValidationError({"pattern": "The pattern needs {seq} so numbers never repeat."})


def _next_stock_number(rooftop: Rooftop, vin: str) -> str:
    return _next_stock_numbers(rooftop, [vin])[0]


def _next_stock_numbers(rooftop: Rooftop, vins: list[str]) -> list[str]:
    """One new number per VIN from the rooftop's pattern, under ONE lock of the counter
    row, so two processes receiving at once never get the same number."""
    StockNumberSettings.objects.get_or_create(rooftop=rooftop)
    counter = StockNumberSettings.objects.select_for_update().get(rooftop=rooftop)
    today = timezone.localdate()
    numbers: list[str] = []
    while len(numbers) < len(vins):
        candidates = []
        for vin in vins[len(numbers) :]:
            counter.last_sequence += 1
            candidates.append(
                counter.pattern.format(
                    rooftop_code=rooftop.code.upper()[:8],
                    yy=f"{today.year % 100:02d}",
                    yyyy=str(today.year),
                    seq=counter.last_sequence,
                    vin6=vin[-6:],
                )[:32]
            )
        taken = set(
            Vehicle.objects.filter(
                rooftop=rooftop,
                # The range bounds the index scan whatever the planner believes: with
                # statistics from before a big import into the rooftop (a new rooftop is
                # estimated at one row), PostgreSQL read every number of the rooftop and
                # filtered them by the list, once per batch of the import.
                stock_number__range=(min(candidates), max(candidates)),
                stock_number__in=candidates,
            ).values_list("stock_number", flat=True)
        )
        numbers += [c for c in candidates if c not in taken and c not in numbers]
    counter.save(update_fields=["last_sequence"])
    return numbers


@transaction.atomic
def set_stock_number_pattern(actor: Any, rooftop: Rooftop, pattern: str) -> StockNumberSettings:
    require_permission(actor, "inventory.change_stocknumbersettings")
    _require_rooftop(actor, rooftop.pk)
    validate_stock_number_pattern(pattern)
    StockNumberSettings.objects.get_or_create(rooftop=rooftop)
    row = StockNumberSettings.objects.select_for_update().get(rooftop=rooftop)
    before = row.pattern
    row.pattern = pattern
    row.save(update_fields=["pattern"])
    audit.record(
        actor, "inventory.set_stock_number_pattern", row, {"pattern": [before, pattern]},
        rooftop_id=rooftop.pk,
    )  # fmt: skip
    return row


# --- vehicles ------------------------------------------------------------------------


def prepare_vehicle(
    actor: Any,
    *,
    rooftop: Rooftop,
    check_access: bool = True,
    check_unique: bool = True,
    **fields: Any,
) -> Vehicle:
    """Apply receive_vehicle's rules without writing: an unsaved, validated Vehicle.

    `check_access=False` lets a caller that already checked permission and rooftop once
    (a CSV import) skip the per-row queries; `check_unique=False` skips the database
    uniqueness queries (the caller checks VINs in bulk, the constraints still hold).
    The vehicle carries `vin_warnings`; a blank stock number is generated on write.
    The ValidationError names every invalid field at once (VIN, prices, status and the
    model's field checks), so a form or an import row reports all its problems together.
    """
    if check_access:
        require_permission(actor, "inventory.add_vehicle")
        _require_rooftop(actor, rooftop.pk)
    given = frozenset(fields)
    unknown = given - RECEIVE_FIELDS
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "Unknown field."))
    errors: dict[str, Any] = {}
    raw_vin = fields.pop("vin", "")
    try:
        vin, warnings = _validate_vin(raw_vin)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
        vin, warnings = "", []
    try:
        prices = _validate_prices({"list_price": fields.pop("list_price", Decimal("0")), **fields})
    except ValidationError as error:
        errors = error.update_error_dict(errors)
        prices = {}
    for name in PRICE_FIELDS:
        fields.pop(name, None)
    raw_status = fields.pop("status", Status.INCOMING)
    try:
        status = Status(raw_status)
    except ValueError:
        errors["status"] = [f"{raw_status!r} is not a status."]
        status = Status.INCOMING
    if status not in (Status.INCOMING, Status.IN_RECONDITIONING, Status.AVAILABLE):
        errors["status"] = ["A received vehicle starts incoming, in recon or available."]
        status = Status.INCOMING
    stock_number = (fields.pop("stock_number", "") or "").strip()
    vehicle = Vehicle(rooftop_id=rooftop.pk, vin=vin, status=status, **prices, **fields)
    # The caller's rooftop, cached as `rooftop=rooftop` would (vehicle.rooftop needs no
    # query), without the descriptor's checks that cost a fifth of building the object.
    Vehicle.rooftop.field.set_cached_value(vehicle, rooftop)
    vehicle.stock_number = stock_number or "pending"
    try:
        if check_unique:
            vehicle.full_clean(exclude=list(errors) or None)
        else:
            checked = _checked_fields(given)
            if errors:  # a field already refused above is not checked (nor reported) again
                checked = tuple(f for f in checked if f.name not in errors)
            _clean_given(vehicle, checked)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    vehicle.stock_number = stock_number
    vehicle.vin_warnings = warnings  # type: ignore[attr-defined]
    return vehicle


@lru_cache(maxsize=64)
def _checked_fields(given: frozenset[str]) -> tuple[models.Field[Any, Any], ...]:
    """The Vehicle fields to clean when only `given` came in, in the model's order: those
    and the required ones (no default, not blank). Every other field holds its default,
    valid by construction (test_bulk_receive.py pins it); the rooftop is the caller's
    object. Cached: an import's rows mostly give the same columns."""
    return tuple(
        f
        for f in Vehicle._meta.concrete_fields
        if f.name != "rooftop"
        and (f.name in given or not (f.primary_key or f.blank or f.null or f.has_default()))
    )


_PLAIN_TYPES = frozenset({str, int, bool})


@lru_cache(maxsize=4096, typed=True)
def _clean_plain(name: str, value: str | int | bool) -> Any:
    """A Vehicle field's verdict on a plain value. Remembered (bounded) because an import
    repeats makes, models, years, colours and choices on most rows, and for these fields
    it depends on the value alone (length, choices, range), never on the instance. Errors
    are not remembered: a bad value is checked again, with the same message."""
    return Vehicle._meta.get_field(name).clean(value, None)  # type: ignore[union-attr]


def _clean_given(vehicle: Vehicle, fields: tuple[models.Field[Any, Any], ...]) -> None:
    """`full_clean` of `fields` alone, without the unique and constraint queries (the bulk
    caller checks VINs in bulk and the constraints hold on write): Model.clean_fields' loop
    (same skips, same messages, same order) with plain values through _clean_plain, then
    Model.clean. Bad input raises the ValidationError full_clean would."""
    errors: dict[str, Any] = {}
    for each in fields:
        raw = getattr(vehicle, each.attname)
        if each.blank and raw in each.empty_values:
            continue
        try:
            if type(raw) in _PLAIN_TYPES:
                cleaned = _clean_plain(each.name, raw)
            else:
                cleaned = each.clean(raw, vehicle)
        except ValidationError as error:
            errors[each.name] = error.error_list
            continue
        setattr(vehicle, each.attname, cleaned)
    try:
        vehicle.clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _insert_rows(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """Append rows (column attname -> value, every row the same columns) to `model`'s table.

    PostgreSQL: one COPY. The values go out of band through psycopg's C dumpers, so there
    is no INSERT with thousands of placeholders for Django to compile and psycopg to bind,
    and DEBUG's query log keeps the short COPY statement, not the data. Elsewhere (SQLite):
    bulk_create of the same values. No signals, no save(): like bulk_create."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(model(**row) for row in rows)
        return
    columns = list(rows[0])
    quote = connection.ops.quote_name
    sql = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    # COPY's text format: the server parses each value as its column's type, so a JSON value
    # goes as the text orjson makes of it (JSONField would store the same jsonb).
    json_columns = {
        f.attname for f in model._meta.concrete_fields if f.get_internal_type() == "JSONField"
    }
    json_at = [i for i, column in enumerate(columns) if column in json_columns]
    # Django does not wrap cursor.copy in its error translation: do it, so a constraint
    # violation is django.db.IntegrityError like any other write's.
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.copy(sql) as copy,
    ):
        for row in rows:
            values = list(row.values())
            for i in json_at:
                if values[i] is not None:
                    values[i] = orjson.dumps(values[i]).decode()
            copy.write_row(values)


def _new_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` ids from the table's own sequence (PostgreSQL), so rows COPYed with them are
    known without RETURNING, which COPY lacks. One query; unused ids are just a gap."""
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, column, count],
        )
        return sorted(row[0] for row in cursor.fetchall())


def _record_receipts(actor: Any, vehicles: list[Vehicle]) -> None:
    """The "received" status row, initial price rows and audit entry of each new vehicle,
    in three bulk writes (_insert_rows) however many vehicles there are.

    Rows are plain values, not model instances: building ~4 instances per vehicle and
    compiling their INSERTs cost more than everything else in a CSV import."""
    user_id = getattr(_user(actor), "pk", None)
    now = timezone.now()
    _insert_rows(
        VehicleStatusChange,
        [
            {
                "vehicle_id": v.pk, "changed_at": now, "changed_by_id": user_id,
                "from_status": "", "to_status": v.status, "reason": "received",
            }
            for v in vehicles
        ],
    )  # fmt: skip
    _insert_rows(
        VehiclePriceChange,
        [
            {
                "vehicle_id": v.pk, "changed_at": now, "changed_by_id": user_id,
                "field": name, "old_price": None, "new_price": getattr(v, name),
                "reason": "initial price",
            }
            for v in vehicles
            if v.list_price or v.internet_price or v.floor_price
            for name in PRICE_FIELDS
            if getattr(v, name) is not None
        ],
    )  # fmt: skip
    audited = [f.attname for f in Vehicle._meta.concrete_fields if not f.primary_key]
    _insert_rows(
        AuditEntry,
        audit.entry_rows(
            actor,
            "inventory.receive_vehicle",
            [(v, audit.created(v, audited)) for v in vehicles],
        ),
    )


@transaction.atomic
def receive_vehicle(actor: Any, *, rooftop: Rooftop, **fields: Any) -> Vehicle:
    """Take a unit into stock. Returns it with `vin_warnings` (non-blocking remarks)."""
    vehicle = prepare_vehicle(actor, rooftop=rooftop, **fields)
    warnings = vehicle.vin_warnings  # type: ignore[attr-defined]
    if not vehicle.stock_number:
        vehicle.stock_number = _next_stock_number(rooftop, vehicle.vin)
    try:
        with transaction.atomic():
            vehicle.save()
    except IntegrityError:
        raise ValidationError(
            {"vin": "An active vehicle with this VIN or stock number was just received."}
        ) from None
    _record_receipts(actor, [vehicle])
    vehicle.vin_warnings = warnings  # type: ignore[attr-defined]
    return vehicle


@transaction.atomic
def bulk_receive_vehicles(actor: Any, rooftop: Rooftop, vehicles: list[Vehicle]) -> list[Vehicle]:
    """Write vehicles made by prepare_vehicle, all or none, each recorded and audited.

    The database constraints (active VIN, stock number per rooftop) are the final check:
    a clash raises ValidationError and nothing of the batch is written.
    """
    require_permission(actor, "inventory.add_vehicle")
    _require_rooftop(actor, rooftop.pk)
    if any(vehicle.rooftop_id != rooftop.pk for vehicle in vehicles):
        raise ValidationError({"rooftop": "Every vehicle of a batch joins the same rooftop."})
    blanks = [vehicle for vehicle in vehicles if not vehicle.stock_number]
    numbers = _next_stock_numbers(rooftop, [vehicle.vin for vehicle in blanks])
    for vehicle, number in zip(blanks, numbers, strict=True):
        vehicle.stock_number = number
    try:
        with transaction.atomic():
            created = _insert_vehicles(vehicles)
    except IntegrityError:
        raise ValidationError(
            {"vin": "A vehicle of this batch clashes with an active VIN or a stock number."}
        ) from None
    _record_receipts(actor, created)
    return created


def _insert_vehicles(vehicles: list[Vehicle]) -> list[Vehicle]:
    """bulk_create's result (the same objects, saved, with their ids) through one COPY on
    PostgreSQL: ids come from the sequence first. Vehicle has no auto_now field or other
    pre_save work, so the attribute values are what bulk_create would write."""
    if connection.vendor != "postgresql" or not vehicles:
        return Vehicle.objects.bulk_create(vehicles)
    for vehicle, pk in zip(vehicles, _new_ids(Vehicle, len(vehicles)), strict=True):
        vehicle.pk = pk
    columns = [f.attname for f in Vehicle._meta.concrete_fields]
    try:
        _insert_rows(Vehicle, [{c: getattr(v, c) for c in columns} for v in vehicles])
    except Exception:
        for vehicle in vehicles:
            vehicle.pk = None  # not saved, as after a failed bulk_create
        raise
    for vehicle in vehicles:
        vehicle._state.adding = False
        vehicle._state.db = connection.alias
    return vehicles


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def update_vehicle(
    actor: Any, vehicle: Vehicle | int, *, expected_version: int | None = None, **fields: Any
) -> Vehicle:
    """Change a unit's details. A stale `expected_version` raises VersionConflict."""
    locked = _lock(actor, vehicle, "inventory.change_vehicle")
    _check_version(locked, expected_version)
    price_values = {name: fields.pop(name) for name in PRICE_FIELDS if name in fields}
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    before = audit.snapshot(locked)
    if "vin" in fields:
        fields["vin"], _warnings = _validate_vin(fields["vin"])
    new_odometer = fields.get("odometer", locked.odometer)
    new_brand = fields.get("odometer_brand", locked.odometer_brand)
    if (
        new_odometer is not None
        and new_odometer < locked.odometer
        and new_brand == OdometerBrand.ACTUAL
    ):
        raise ValidationError(
            {
                "odometer": (
                    f"The odometer cannot go down ({locked.odometer} -> {new_odometer}) "
                    "while branded actual mileage. Correct the brand (not actual / exceeds "
                    "mechanical limits) if the reading is right."
                )
            }
        )
    for name, value in fields.items():
        setattr(locked, name, value)
    changed_prices: list[str] = []
    if price_values:
        require_permission(actor, "inventory.change_vehicle_price")
        prices_before = {name: getattr(locked, name) for name in PRICE_FIELDS}
        for name, value in _validate_prices(price_values).items():
            setattr(locked, name, value)
        _clean(locked)
        changed_prices = _record_price_changes(actor, locked, prices_before, "edited")
    else:
        _clean(locked)
    changes = audit.diff(before, audit.snapshot(locked))
    if not changes:
        return locked
    _save(locked, [*fields, *changed_prices])
    audit.record(actor, "inventory.update_vehicle", locked, changes)
    return locked


@transaction.atomic
def change_price(
    actor: Any,
    vehicle: Vehicle | int,
    *,
    reason: str = "",
    expected_version: int | None = None,
    **prices: Any,
) -> Vehicle:
    """Set any of list_price / internet_price / floor_price; each change joins the history."""
    locked = _lock(actor, vehicle, "inventory.change_vehicle_price")
    _check_version(locked, expected_version)
    unknown = set(prices) - set(PRICE_FIELDS)
    if unknown or not prices:
        raise ValidationError({"list_price": "Give at least one of the three prices."})
    before = {name: getattr(locked, name) for name in PRICE_FIELDS}
    for name, value in _validate_prices(prices).items():
        setattr(locked, name, value)
    # Only prices change: the VIN, stock number and rooftop checks (five queries) cannot
    # fail now if they passed before; the price check constraint is _validate_prices's.
    _clean(locked, only=PRICE_FIELDS)
    changed = _record_price_changes(actor, locked, before, reason)
    if not changed:
        return locked
    _save(locked, changed)
    audit.record(
        actor,
        "inventory.change_price",
        locked,
        {
            name: [audit._jsonable(before[name]), audit._jsonable(getattr(locked, name))]
            for name in changed
        },
    )
    return locked


def _transition(
    actor: Any, vehicle: Vehicle, to_status: Status, reason: str, *, via_hold: bool = False
) -> None:
    """Move a locked vehicle to `to_status` if legal; record it. No save of version."""
    from_status = Status(vehicle.status)
    if to_status == from_status:
        raise ValidationError({"status": f"The vehicle is already {from_status.label.lower()}."})
    if to_status not in TRANSITIONS[from_status]:
        allowed = ", ".join(s.label.lower() for s in sorted(TRANSITIONS[from_status])) or "none"
        raise ValidationError(
            {
                "status": (
                    f"A vehicle cannot go from {from_status.label.lower()} to "
                    f"{to_status.label.lower()} (allowed: {allowed})."
                )
            }
        )
    if to_status == Status.ON_HOLD and not via_hold:
        raise ValidationError(
            {"status": "Place a hold (deal and expiry) to put a vehicle on hold."}
        )
    if from_status in UNWIND_FROM and to_status == Status.AVAILABLE and not reason.strip():
        raise ValidationError({"reason": "Say why the sale is unwound."})
    if from_status == Status.ON_HOLD:
        outcome = "sold" if to_status == Status.SOLD else (reason or "released")
        VehicleHold.objects.filter(vehicle=vehicle, released_at__isnull=True).update(
            released_at=timezone.now(), release_reason=outcome[:200]
        )
    now = timezone.now()
    if to_status in (Status.SOLD, Status.WHOLESALE, Status.REMOVED):
        vehicle.sold_at = vehicle.sold_at or now
    elif to_status == Status.AVAILABLE:
        vehicle.sold_at = None
    vehicle.status = to_status
    if to_status in ACTIVE_STATUSES and from_status not in ACTIVE_STATUSES:
        _clean(vehicle)  # an unwound unit must not collide with a newer unit of the same VIN
    VehicleStatusChange.objects.create(
        vehicle=vehicle,
        changed_by=_user(actor),
        from_status=from_status,
        to_status=to_status,
        reason=reason[:200],
    )


@transaction.atomic
def change_status(
    actor: Any,
    vehicle: Vehicle | int,
    *,
    to_status: Status | str,
    reason: str = "",
    expected_version: int | None = None,
) -> Vehicle:
    locked = _lock(actor, vehicle, "inventory.change_vehicle_status")
    _check_version(locked, expected_version)
    try:
        target = Status(to_status)
    except ValueError:
        raise ValidationError({"status": f"Unknown status {to_status!r}."}) from None
    from_status = locked.status
    _transition(actor, locked, target, reason)
    _save(locked, ["status", "sold_at"])
    audit.record(
        actor,
        "inventory.change_status",
        locked,
        {"status": [from_status, target.value], **({"reason": [None, reason]} if reason else {})},
    )
    return locked


# --- holds ---------------------------------------------------------------------------


def _release_expired(vehicle: Vehicle, now: datetime) -> None:
    VehicleHold.objects.filter(
        vehicle=vehicle, released_at__isnull=True, expires_at__lte=now
    ).update(released_at=now, release_reason="expired")


@transaction.atomic
def hold_vehicle(
    actor: Any,
    vehicle: Vehicle | int,
    *,
    deal_reference: str,
    customer_name: str = "",
    expires_at: datetime | None = None,
) -> VehicleHold:
    """Hold a unit for one deal. A second deal is refused while the hold lasts; the
    unique constraint backs this up even if two processes race past the row lock."""
    locked = _lock(actor, vehicle, "inventory.hold_vehicle")
    now = timezone.now()
    deal_reference = (deal_reference or "").strip()
    errors: dict[str, str] = {}
    if not deal_reference:
        errors["deal_reference"] = "Say which deal holds the vehicle."
    expires_at = expires_at or now + DEFAULT_HOLD
    if expires_at <= now:
        errors["expires_at"] = "A hold must expire in the future."
    elif expires_at > now + MAX_HOLD:
        errors["expires_at"] = f"A hold lasts at most {MAX_HOLD.days} days."
    if errors:
        raise ValidationError(errors)
    _release_expired(locked, now)
    current = VehicleHold.objects.filter(vehicle=locked, released_at__isnull=True).first()
    if current is not None:
        raise ValidationError(
            {
                "deal_reference": (
                    f"Already on hold for deal {current.deal_reference} until "
                    f"{timezone.localtime(current.expires_at):%Y-%m-%d %H:%M}."
                )
            }
        )
    if locked.status not in (Status.AVAILABLE, Status.ON_HOLD):
        raise ValidationError(
            {"status": f"Only an available vehicle can be held (this one is {locked.status})."}
        )
    try:
        with transaction.atomic():
            hold = VehicleHold.objects.create(
                vehicle=locked,
                deal_reference=deal_reference[:64],
                customer_name=customer_name[:120],
                expires_at=expires_at,
                created_by=_user(actor),
            )
    except IntegrityError:
        raise ValidationError(
            {"deal_reference": "This vehicle is already on hold for another deal."}
        ) from None
    if locked.status == Status.AVAILABLE:
        _transition(actor, locked, Status.ON_HOLD, f"hold for {deal_reference}", via_hold=True)
    _save(locked, ["status"])
    audit.record(
        actor,
        "inventory.hold_vehicle",
        locked,
        {
            "hold": [None, deal_reference],
            "customer_name": [None, customer_name],
            "expires_at": [None, expires_at.isoformat()],
        },
    )
    return hold


@transaction.atomic
def release_hold(actor: Any, vehicle: Vehicle | int, *, reason: str = "") -> VehicleHold:
    locked = _lock(actor, vehicle, "inventory.hold_vehicle")
    hold = VehicleHold.objects.filter(vehicle=locked, released_at__isnull=True).first()
    if hold is None:
        raise ValidationError({"hold": "This vehicle is not on hold."})
    hold.released_at = timezone.now()
    hold.release_reason = (reason or "released")[:200]
    hold.save(update_fields=["released_at", "release_reason"])
    if locked.status == Status.ON_HOLD:
        _transition(actor, locked, Status.AVAILABLE, reason or "hold released")
    _save(locked, ["status", "sold_at"])
    audit.record(actor, "inventory.release_hold", locked, {"hold": [hold.deal_reference, None]})
    return hold


def release_expired_holds(now: datetime | None = None) -> int:
    """Scheduled (inventory.apps): end every hold past its expiry and put its vehicle back
    on sale. The system is the actor; each vehicle in its own transaction, row locked, so a
    concurrent hold or sale of the same unit waits and then sees the result."""
    now = now or timezone.now()
    expired = VehicleHold.objects.filter(released_at__isnull=True, expires_at__lte=now)
    released = 0
    for vehicle_id in expired.values_list("vehicle_id", flat=True).distinct().iterator():
        with transaction.atomic():
            vehicle = Vehicle.objects.select_for_update().get(pk=vehicle_id)
            holds = VehicleHold.objects.filter(
                vehicle=vehicle, released_at__isnull=True, expires_at__lte=now
            )
            references = list(holds.values_list("deal_reference", flat=True))
            if not references:
                continue  # released or re-held meanwhile
            holds.update(released_at=now, release_reason="expired")
            active = VehicleHold.objects.filter(vehicle=vehicle, released_at__isnull=True)
            if vehicle.status == Status.ON_HOLD and not active.exists():
                _transition(None, vehicle, Status.AVAILABLE, "hold expired")
                _save(vehicle, ["status", "sold_at"])
            audit.record(
                None, "inventory.expire_hold", vehicle, {"hold": [", ".join(references), None]}
            )
            released += 1
    return released


# --- costs ---------------------------------------------------------------------------


@transaction.atomic
def add_cost(
    actor: Any,
    vehicle: Vehicle | int,
    *,
    kind: CostKind | str,
    amount: Decimal | str,
    vendor: str = "",
    incurred_on: date | None = None,
    description: str = "",
) -> VehicleCost:
    require_permission(actor, "inventory.add_vehiclecost")
    locked = _lock(actor, vehicle, "inventory.view_vehicle")
    cost = VehicleCost(
        vehicle=locked,
        kind=kind,
        amount=_validate_amount(amount),
        vendor=vendor,
        incurred_on=incurred_on or timezone.localdate(),
        description=description,
        created_by=_user(actor),
    )
    cost.full_clean()
    cost.save()
    _save(locked, [])
    audit.record(
        actor,
        "inventory.add_cost",
        locked,
        {"cost": [None, f"{cost.get_kind_display()} {cost.amount} {vendor}".strip()]},
    )
    return cost


@transaction.atomic
def add_system_cost(
    vehicle: Vehicle | int,
    *,
    kind: CostKind | str,
    amount: Decimal | str,
    incurred_on: date,
    description: str,
    vendor: str = "",
) -> VehicleCost:
    """A cost the system adds on its own schedule (floor-plan interest accrued by a job).
    No user, so no permission: the caller is a scheduled job, never a request. The row is
    locked and the entry audited as the system's, like release_expired_holds."""
    pk = vehicle.pk if isinstance(vehicle, Vehicle) else vehicle
    locked = Vehicle.objects.select_for_update().get(pk=pk)
    cost = VehicleCost(
        vehicle=locked,
        kind=kind,
        amount=_validate_amount(amount),
        vendor=vendor,
        incurred_on=incurred_on,
        description=description,
    )
    cost.full_clean(exclude=["created_by"])  # the system has no user row
    cost.save()
    _save(locked, [])
    audit.record(
        None, "inventory.add_cost", locked, {"cost": [None, f"{description} {cost.amount}"]}
    )
    return cost


def _validate_amount(amount: Decimal | str) -> Decimal:
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"))
    except ArithmeticError:
        raise ValidationError({"amount": "Enter a number."}) from None
    if value < 0:
        raise ValidationError({"amount": "A cost cannot be negative."})
    return value


# --- bulk ----------------------------------------------------------------------------


@dataclass
class BulkResult:
    changed: list[int] = field(default_factory=list)
    skipped: dict[int, str] = field(default_factory=dict)


def _bulk_rows(actor: Any, vehicle_ids: Iterable[int]) -> list[Vehicle]:
    ids = sorted(set(vehicle_ids))
    # Visible rows only, locked in id order (a fixed order cannot deadlock another bulk run).
    rows = list(
        Vehicle.objects.for_user(actor, "view")
        .filter(pk__in=ids)
        .order_by("pk")
        .select_for_update()
    )
    return rows


@transaction.atomic
def bulk_set_published(actor: Any, vehicle_ids: Iterable[int], published: bool) -> BulkResult:
    require_permission(actor, "inventory.change_vehicle")
    result = BulkResult()
    for vehicle in _bulk_rows(actor, vehicle_ids):
        if vehicle.is_published == published:
            result.skipped[vehicle.pk] = "already " + ("published" if published else "unpublished")
            continue
        vehicle.is_published = published
        _save(vehicle, ["is_published"])
        audit.record(
            actor,
            "inventory.bulk_set_published",
            vehicle,
            {"is_published": [not published, published]},
        )
        result.changed.append(vehicle.pk)
    return result


@transaction.atomic
def bulk_move_rooftop(actor: Any, vehicle_ids: Iterable[int], rooftop: Rooftop) -> BulkResult:
    require_permission(actor, "inventory.change_vehicle")
    _require_rooftop(actor, rooftop.pk)
    result = BulkResult()
    for vehicle in _bulk_rows(actor, vehicle_ids):
        if vehicle.rooftop_id == rooftop.pk:
            result.skipped[vehicle.pk] = "already there"
            continue
        if Vehicle.objects.filter(rooftop=rooftop, stock_number=vehicle.stock_number).exists():
            result.skipped[vehicle.pk] = f"stock number {vehicle.stock_number} is taken there"
            continue
        before = vehicle.rooftop_id
        vehicle.rooftop = rooftop
        _save(vehicle, ["rooftop"])
        audit.record(
            actor, "inventory.bulk_move_rooftop", vehicle, {"rooftop_id": [before, rooftop.pk]}
        )
        result.changed.append(vehicle.pk)
    return result


@transaction.atomic
def bulk_change_status(
    actor: Any, vehicle_ids: Iterable[int], to_status: Status | str, reason: str = ""
) -> BulkResult:
    """Move every vehicle for which the move is legal; say why the others were skipped."""
    require_permission(actor, "inventory.change_vehicle_status")
    target = Status(to_status)
    result = BulkResult()
    for vehicle in _bulk_rows(actor, vehicle_ids):
        from_status = vehicle.status
        try:
            with transaction.atomic():
                _transition(actor, vehicle, target, reason)
        except ValidationError as error:
            result.skipped[vehicle.pk] = "; ".join(error.messages)
            vehicle.status = from_status
            continue
        _save(vehicle, ["status", "sold_at"])
        audit.record(
            actor, "inventory.bulk_change_status", vehicle, {"status": [from_status, target.value]}
        )
        result.changed.append(vehicle.pk)
    return result
