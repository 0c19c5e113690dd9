"""Every write to the floor plan: facilities, rates, flooring, curtailments, payoffs, the
daily interest accrual and the lender's statements.

Amounts refused before anything is written: an advance above the facility's available
limit or above its advance rate of the unit's cost, a payment above the outstanding
principal. The facility row is locked while a unit is floored, so two units floored at
once cannot together pass the limit.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import structlog
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from forecourt.accounts.models import Rooftop
from forecourt.core import audit
from forecourt.core.concurrency import VersionConflict
from forecourt.core.observability.alerts import send_alert
from forecourt.core.permissions import require_permission
from forecourt.inventory import actions as inventory
from forecourt.inventory.models import ACTIVE_STATUSES, CostKind, Vehicle
from forecourt.inventory.vin import check_vin
from forecourt.purchasing.common import check_version, money, require_rooftop, user_or_none
from forecourt.purchasing.stocking.interest import (
    CurtailmentStep,
    accrue_days,
    advance_for,
    validate_schedule,
)
from forecourt.purchasing.stocking.models import (
    DayCountChoice,
    Facility,
    FacilityRate,
    Flooring,
    FlooringPayment,
    FlooringStatus,
    InterestAccrual,
    LenderStatement,
    LenderStatementLine,
    PaymentKind,
)
from forecourt.purchasing.stocking.reads import out_of_trust

__all__ = [
    "FlooringVersionConflict",
    "accrue_interest",
    "alert_out_of_trust",
    "change_rate",
    "create_facility",
    "floor_vehicle",
    "import_lender_statement",
    "pay_curtailment",
    "pay_off",
    "pay_off_on_sale",
]

logger = structlog.get_logger("forecourt.purchasing")
INTEREST_DESCRIPTION = "Floor-plan interest"


class FlooringVersionConflict(VersionConflict):
    record_name = "flooring"


def _percent(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        raise ValidationError({field: "Enter a percentage."}) from None
    if not amount.is_finite() or amount < 0 or amount > 100:
        raise ValidationError({field: "Enter a percentage between 0 and 100."})
    return amount


def _schedule(raw: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    try:
        steps = [CurtailmentStep(int(s["age_days"]), Decimal(str(s["percent"]))) for s in raw]
    except (KeyError, TypeError, ValueError, ArithmeticError):
        raise ValidationError(
            {"curtailments": "Each curtailment needs age_days (a whole number) and percent."}
        ) from None
    problems = validate_schedule(steps)
    if problems:
        raise ValidationError({"curtailments": problems})
    return [{"age_days": s.age_days, "percent": str(s.percent)} for s in steps]


@transaction.atomic
def create_facility(
    actor: Any,
    rooftop: Rooftop,
    *,
    lender: str,
    name: str,
    credit_limit: Any,
    annual_percent: Any,
    rate_from: date | None = None,
    advance_percent: Any = "100",
    day_count: str = DayCountChoice.ACTUAL_365,
    curtailments: Iterable[Mapping[str, Any]] = (),
    payoff_due_days: int = 5,
    flooring_fee: Any = "0",
    curtailment_fee: Any = "0",
    payoff_fee: Any = "0",
    department: str = "",
) -> Facility:
    require_permission(actor, "purchasing.add_facility")
    require_rooftop(actor, rooftop.pk)
    errors: dict[str, Any] = {}
    values: dict[str, Any] = {}
    for field, raw, check in (
        ("credit_limit", credit_limit, lambda v, f: money(v, f, positive=True)),
        ("advance_percent", advance_percent, _percent),
        ("annual_percent", annual_percent, _percent),
        ("flooring_fee", flooring_fee, money),
        ("curtailment_fee", curtailment_fee, money),
        ("payoff_fee", payoff_fee, money),
        ("curtailments", curtailments, lambda v, f: _schedule(v)),
    ):
        try:
            values[field] = check(raw, field)
        except ValidationError as error:
            errors.update(error.message_dict)
    if day_count not in DayCountChoice.values:
        errors["day_count"] = [f"Choose one of: {', '.join(DayCountChoice.values)}."]
    if errors:
        raise ValidationError(errors)
    rate = values.pop("annual_percent")
    facility = Facility(
        rooftop=rooftop,
        lender=lender.strip(),
        name=name.strip(),
        department=department,
        day_count=day_count,
        payoff_due_days=payoff_due_days,
        **values,
    )
    facility.full_clean()
    facility.save()
    FacilityRate.objects.create(
        facility=facility, effective_from=rate_from or date(2000, 1, 1), annual_percent=rate
    )
    audit.record(
        actor,
        "purchasing.create_facility",
        facility,
        {**audit.created(facility), "annual_percent": [None, str(rate)]},
    )
    return facility


@transaction.atomic
def change_rate(
    actor: Any, facility: Facility | int, *, effective_from: date, annual_percent: Any
) -> FacilityRate:
    """A new rate from a day on. Days already accrued keep the rate they were charged at."""
    require_permission(actor, "purchasing.change_facility")
    locked = Facility.objects.select_for_update().get(pk=getattr(facility, "pk", facility))
    require_rooftop(actor, locked.rooftop_id)
    percent = _percent(annual_percent, "annual_percent")
    last = InterestAccrual.objects.filter(flooring__facility=locked).order_by("-day").first()
    if last is not None and effective_from <= last.day:
        raise ValidationError(
            {"effective_from": f"Interest is accrued through {last.day}; a new rate starts later."}
        )
    rate, _ = FacilityRate.objects.update_or_create(
        facility=locked, effective_from=effective_from, defaults={"annual_percent": percent}
    )
    audit.record(
        actor,
        "purchasing.change_rate",
        locked,
        {"annual_percent": [None, f"{percent} from {effective_from}"]},
    )
    return rate


def used_credit(facility: Facility) -> Decimal:
    total = facility.floorings.open().aggregate(total=Sum("principal"))["total"]
    return total or Decimal("0.00")


@transaction.atomic
def floor_vehicle(
    actor: Any,
    facility: Facility | int,
    vehicle: Vehicle | int,
    *,
    floored_on: date | None = None,
    advance: Any = None,
) -> Flooring:
    """Fund a unit under a facility: by default its cost times the advance rate."""
    require_permission(actor, "purchasing.add_flooring")
    locked = Facility.objects.select_for_update().get(pk=getattr(facility, "pk", facility))
    require_rooftop(actor, locked.rooftop_id)
    unit = Vehicle.objects.get(pk=getattr(vehicle, "pk", vehicle))
    if unit.rooftop_id != locked.rooftop_id:
        raise ValidationError({"vehicle": "The vehicle belongs to another rooftop."})
    if unit.status not in ACTIVE_STATUSES:
        raise ValidationError({"vehicle": "Only a vehicle still in stock can be floored."})
    if not locked.is_active:
        raise ValidationError({"facility": "This facility is closed."})
    ceiling = advance_for(unit.acquisition_cost, locked.advance_percent)
    amount = ceiling if advance in (None, "") else money(advance, "advance", positive=True)
    if amount <= 0:
        raise ValidationError({"advance": "The vehicle has no cost to advance against."})
    if amount > ceiling:
        raise ValidationError(
            {
                "advance": (
                    f"The facility advances at most {locked.advance_percent}% of the cost: "
                    f"{ceiling}."
                )
            }
        )
    available = locked.credit_limit - used_credit(locked)
    if amount > available:
        raise ValidationError(
            {
                "advance": (
                    f"Above the facility's limit: {available} of {locked.credit_limit} "
                    "is available."
                )
            }
        )
    floored_on = floored_on or timezone.localdate()
    flooring = Flooring(
        facility=locked,
        vehicle=unit,
        floored_on=floored_on,
        advance=amount,
        principal=amount,
        created_by=user_or_none(actor),
    )
    try:
        with transaction.atomic():
            flooring.save()
    except IntegrityError:
        raise ValidationError({"vehicle": "This vehicle is already floored."}) from None
    _post_fee(actor, flooring, locked.flooring_fee, floored_on, "Floor-plan fee")
    audit.record(
        actor,
        "purchasing.floor_vehicle",
        flooring,
        audit.created(flooring),
        rooftop_id=locked.rooftop_id,
    )
    return flooring


def _post_fee(actor: Any, flooring: Flooring, amount: Decimal, on: date, label: str) -> None:
    """A lender's fee for a unit becomes one of its added costs (inventory's action)."""
    if amount:
        inventory.add_cost(
            actor,
            flooring.vehicle_id,
            kind=CostKind.OTHER,
            amount=amount,
            vendor=flooring.facility.lender,
            incurred_on=on,
            description=label,
        )


def _lock_flooring(actor: Any, flooring: Flooring | int) -> Flooring:
    require_permission(actor, "purchasing.change_flooring")
    locked = (
        Flooring.objects.select_for_update()
        .select_related("facility")
        .get(pk=getattr(flooring, "pk", flooring))
    )
    require_rooftop(actor, locked.facility.rooftop_id)
    return locked


def _pay(
    actor: Any, locked: Flooring, kind: PaymentKind, amount: Decimal, paid_on: date, reference: str
) -> FlooringPayment:
    if locked.status != FlooringStatus.OPEN:
        raise ValidationError({"flooring": "This vehicle's floor plan is already paid off."})
    if paid_on < locked.floored_on:
        raise ValidationError({"paid_on": "A payment cannot come before the vehicle was floored."})
    if locked.accrued_through is not None and paid_on <= locked.accrued_through:
        raise ValidationError(
            {"paid_on": f"Interest is accrued through {locked.accrued_through}; date it later."}
        )
    if amount > locked.principal:
        raise ValidationError(
            {"amount": f"Larger than the balance: {locked.principal} is outstanding."}
        )
    payment = FlooringPayment.objects.create(
        flooring=locked,
        kind=kind,
        amount=amount,
        paid_on=paid_on,
        reference=reference[:64],
        created_by=user_or_none(actor),
    )
    before = locked.principal
    locked.principal -= amount
    locked.version += 1
    fields = ["principal", "version"]
    if kind == PaymentKind.PAYOFF:
        locked.status = FlooringStatus.PAID_OFF
        locked.paid_off_on = paid_on
        fields += ["status", "paid_off_on"]
    locked.save(update_fields=fields)
    audit.record(
        actor,
        f"purchasing.{kind}",
        locked,
        {"principal": [str(before), str(locked.principal)], "paid_on": [None, paid_on.isoformat()]},
        rooftop_id=locked.facility.rooftop_id,
    )
    return payment


@transaction.atomic
def pay_curtailment(
    actor: Any,
    flooring: Flooring | int,
    *,
    amount: Any,
    paid_on: date | None = None,
    reference: str = "",
    expected_version: int | None = None,
) -> FlooringPayment:
    """A principal reduction while the unit stays floored (a payoff clears it)."""
    locked = _lock_flooring(actor, flooring)
    check_version(locked.version, expected_version, FlooringVersionConflict)
    value = money(amount, "amount", positive=True)
    if value == locked.principal:
        raise ValidationError({"amount": "That clears the balance: record a payoff instead."})
    payment = _pay(
        actor, locked, PaymentKind.CURTAILMENT, value, paid_on or timezone.localdate(), reference
    )
    _post_fee(actor, locked, locked.facility.curtailment_fee, payment.paid_on, "Curtailment fee")
    return payment


@transaction.atomic
def pay_off(
    actor: Any,
    flooring: Flooring | int,
    *,
    amount: Any = None,
    paid_on: date | None = None,
    reference: str = "",
    expected_version: int | None = None,
) -> FlooringPayment:
    """Clear the unit's principal. `amount`, when given, must be exactly the balance.
    Interest up to the day before the payoff is accrued first (the payoff day has none)."""
    locked = _lock_flooring(actor, flooring)
    check_version(locked.version, expected_version, FlooringVersionConflict)
    paid_on = paid_on or timezone.localdate()
    value = locked.principal if amount in (None, "") else money(amount, "amount", positive=True)
    if value < locked.principal:
        raise ValidationError(
            {
                "amount": (
                    f"A payoff clears the balance of {locked.principal}; "
                    "record a curtailment for less."
                )
            }
        )
    if locked.status == FlooringStatus.OPEN:
        _accrue_locked(locked, paid_on - timedelta(days=1))
    payment = _pay(actor, locked, PaymentKind.PAYOFF, value, paid_on, reference)
    _post_fee(actor, locked, locked.facility.payoff_fee, paid_on, "Floor-plan payoff fee")
    return payment


@transaction.atomic
def pay_off_on_sale(actor: Any, vehicle: Vehicle | int, sold_on: date) -> FlooringPayment | None:
    """The deal's delivery: pay off the unit's floor plan (None when it is not floored).
    Safe to call twice: a unit already paid off has nothing left to pay."""
    pk = getattr(vehicle, "pk", vehicle)
    open_flooring = Flooring.objects.open().filter(vehicle_id=pk).first()
    if open_flooring is None:
        return None
    locked = _lock_flooring(actor, open_flooring)
    if locked.status != FlooringStatus.OPEN:
        return None
    locked.sold_on = sold_on
    locked.save(update_fields=["sold_on"])
    return pay_off(actor, locked, reference=f"sale {sold_on.isoformat()}")


# --- the daily interest job ------------------------------------------------------------


def _balances(flooring: Flooring, first: date, last: date) -> dict[date, Decimal]:
    """The principal outstanding on each day: a payment lowers it from its own day."""
    payments = list(flooring.payments.values_list("paid_on", "amount"))
    out = {}
    day = first
    while day <= last:
        paid = sum((amount for on, amount in payments if on <= day), Decimal("0"))
        out[day] = flooring.advance - paid
        day += timedelta(days=1)
    return out


def _accrue_locked(flooring: Flooring, through: date) -> Decimal:
    """Accrue a locked flooring's days up to `through` (inclusive); returns the cents
    posted. Nothing happens for days already accrued."""
    first = (
        flooring.accrued_through + timedelta(days=1)
        if flooring.accrued_through
        else flooring.floored_on
    )
    if flooring.paid_off_on is not None:
        through = min(through, flooring.paid_off_on - timedelta(days=1))
    if through < first:
        return Decimal("0.00")
    days = accrue_days(
        _balances(flooring, first, through),
        flooring.facility.rate_changes(),
        flooring.facility.basis,
        first,
        through,
        running_before=flooring.interest_exact,
    )
    # The unique (flooring, day) rows: a second writer that got past the lock's check
    # (there is none today, but the database is the last word) fails here, and rolls back.
    InterestAccrual.objects.bulk_create(
        InterestAccrual(
            flooring=flooring,
            day=d.day,
            principal=d.balance,
            annual_percent=d.annual_percent,
            amount=d.posted,
        )
        for d in days
    )
    posted = sum((d.posted for d in days), Decimal("0.00"))
    flooring.interest_exact = days[-1].running_exact
    flooring.interest_accrued += posted
    flooring.accrued_through = through
    flooring.save(update_fields=["interest_exact", "interest_accrued", "accrued_through"])
    if posted:
        span = first.isoformat() if first == through else f"{first} to {through}"
        inventory.add_system_cost(
            flooring.vehicle_id,
            kind=CostKind.OTHER,
            amount=posted,
            incurred_on=through,
            description=f"{INTEREST_DESCRIPTION} {span}",
            vendor=flooring.facility.lender,
        )
    return posted


def accrue_interest(today: date | None = None) -> int:
    """Scheduled daily: accrue every floored unit's interest through yesterday.

    Each unit in its own transaction under its row lock: a second worker running at the
    same time waits, then finds the days accrued and does nothing; the unique (flooring,
    day) rows refuse a double accrual even without the lock. Returns the units accrued."""
    today = today or timezone.localdate()
    through = today - timedelta(days=1)
    accrued = 0
    # A payoff accrues its unit through the day before, so only open units are behind.
    candidates = (
        Flooring.objects.open()
        .filter(floored_on__lte=through)
        .exclude(accrued_through__gte=through)
    )
    for pk in candidates.values_list("pk", flat=True).iterator():
        try:
            with transaction.atomic():
                flooring = (
                    Flooring.objects.select_for_update().select_related("facility").get(pk=pk)
                )
                if _accrue_locked(flooring, through):
                    accrued += 1
        except IntegrityError:
            logger.info("interest already accrued by another worker", flooring=pk)
    return accrued


def alert_out_of_trust(today: date | None = None) -> int:
    """Scheduled: raise a critical alert per unit sold and not paid off past its days."""
    today = today or timezone.localdate()
    found = out_of_trust(today)
    for flooring in found:
        vehicle = flooring.vehicle
        send_alert(
            "critical",
            f"Sold out of trust: {vehicle.stock_number} on {flooring.facility}",
            {
                "vehicle_id": vehicle.pk,
                "vin": vehicle.vin,
                "rooftop_id": flooring.facility.rooftop_id,
                "principal": str(flooring.principal),
                "sold_on": (flooring.sold_on or timezone.localdate(vehicle.sold_at)).isoformat(),
                "payoff_due_days": flooring.facility.payoff_due_days,
            },
            dedup_key=f"out-of-trust:{flooring.pk}:{today.isoformat()}",
        )
    return len(found)


# --- lender statements -----------------------------------------------------------------

STATEMENT_COLUMNS = ("vin", "balance")


@transaction.atomic
def import_lender_statement(
    actor: Any, facility: Facility | int, *, content: str, statement_on: date, filename: str = ""
) -> LenderStatement:
    """The lender's list of floored units (CSV with vin and balance columns, reference
    optional). Any bad row and nothing is imported; the errors name every row."""
    require_permission(actor, "purchasing.add_lenderstatement")
    locked = Facility.objects.get(pk=getattr(facility, "pk", facility))
    require_rooftop(actor, locked.rooftop_id)
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
    headers = {(h or "").strip().lower() for h in reader.fieldnames or []}
    missing = [c for c in STATEMENT_COLUMNS if c not in headers]
    if missing:
        raise ValidationError({"file": f"The statement needs the columns: {', '.join(missing)}."})
    lines: list[LenderStatementLine] = []
    errors: list[str] = []
    for number, row in enumerate(reader, start=2):
        clean = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        vin = clean["vin"].upper()
        if not check_vin(vin).is_valid:
            errors.append(f"Row {number}: {vin or 'a blank'} is not a VIN.")
            continue
        try:
            balance = money(clean["balance"].replace(",", ""), "balance")
        except ValidationError:
            errors.append(f"Row {number}: {clean['balance']!r} is not an amount.")
            continue
        lines.append(
            LenderStatementLine(vin=vin, reference=clean.get("reference", "")[:64], balance=balance)
        )
    if errors:
        raise ValidationError({"file": errors})
    if not lines:
        raise ValidationError({"file": "The statement has no rows."})
    statement = LenderStatement.objects.create(
        facility=locked,
        statement_on=statement_on,
        filename=filename[:200],
        imported_by=user_or_none(actor),
    )
    for line in lines:
        line.statement = statement
    LenderStatementLine.objects.bulk_create(lines)
    audit.record(
        actor,
        "purchasing.import_lender_statement",
        statement,
        {"rows": [None, len(lines)]},
        rooftop_id=locked.rooftop_id,
    )
    return statement
