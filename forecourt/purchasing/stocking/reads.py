"""Floor-plan reads: exposure per facility and the lender-statement reconciliation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from forecourt.purchasing.stocking.interest import (
    CurtailmentDue,
    curtailments_outstanding,
    is_out_of_trust,
    utilisation_percent,
)
from forecourt.purchasing.stocking.models import (
    Facility,
    Flooring,
    InterestAccrual,
    LenderStatement,
    PaymentKind,
)

ZERO = Decimal("0.00")


@dataclass
class FacilityExposure:
    facility: Facility
    used: Decimal
    available: Decimal
    utilisation: Decimal
    units: int
    interest_this_month: Decimal
    curtailments_due: list[tuple[Flooring, CurtailmentDue]]
    out_of_trust: list[Flooring] = field(default_factory=list)

    @property
    def curtailments_due_total(self) -> Decimal:
        return sum((due.amount for _, due in self.curtailments_due), ZERO)


def curtailments_due(flooring: Flooring, until: date) -> list[CurtailmentDue]:
    """The unit's unpaid curtailments falling due on or before `until` (overdue included)."""
    paid = flooring.payments.filter(kind=PaymentKind.CURTAILMENT).aggregate(t=Sum("amount"))["t"]
    due = curtailments_outstanding(
        flooring.floored_on,
        flooring.advance,
        flooring.facility.curtailment_steps,
        paid or ZERO,
        flooring.principal,
    )
    return [d for d in due if d.due_on <= until]


def out_of_trust(today: date | None = None) -> list[Flooring]:
    """Floored units sold longer ago than their facility's payoff days."""
    today = today or timezone.localdate()
    found = []
    rows = Flooring.objects.open().filter(vehicle__sold_at__isnull=False)
    for flooring in rows.select_related("facility", "vehicle"):
        sold_on = flooring.sold_on or timezone.localdate(flooring.vehicle.sold_at)
        if is_out_of_trust(sold_on, flooring.facility.payoff_due_days, today):
            found.append(flooring)
    return found


def facility_exposure(facility: Facility, today: date | None = None) -> FacilityExposure:
    today = today or timezone.localdate()
    open_units = list(facility.floorings.open().select_related("vehicle", "facility"))
    used = sum((f.principal for f in open_units), ZERO)
    month_start = today.replace(day=1)
    interest = InterestAccrual.objects.filter(
        flooring__facility=facility, day__gte=month_start, day__lte=today
    ).aggregate(t=Sum("amount"))["t"]
    horizon = today + timedelta(days=30)
    due = [(f, d) for f in open_units for d in curtailments_due(f, horizon)]
    return FacilityExposure(
        facility=facility,
        used=used,
        available=facility.credit_limit - used,
        utilisation=utilisation_percent(used, facility.credit_limit),
        units=len(open_units),
        interest_this_month=interest or ZERO,
        curtailments_due=sorted(due, key=lambda item: item[1].due_on),
        out_of_trust=[f for f in out_of_trust(today) if f.facility_id == facility.pk],
    )


def exposure(user: Any, today: date | None = None) -> list[FacilityExposure]:
    return [
        facility_exposure(facility, today)
        for facility in Facility.objects.for_user(user, "view").filter(is_active=True)
    ]


@dataclass
class Reconciliation:
    theirs_not_ours: list[tuple[str, Decimal]]  # (VIN, their balance)
    ours_not_theirs: list[tuple[Flooring, Decimal]]  # (flooring, our balance)
    differences: list[tuple[Flooring, Decimal, Decimal]]  # (flooring, ours, theirs)
    matched: int

    @property
    def is_clean(self) -> bool:
        return not (self.theirs_not_ours or self.ours_not_theirs or self.differences)


def balance_on(flooring: Flooring, day: date) -> Decimal:
    """Our principal for the unit at the end of `day`."""
    paid = flooring.payments.filter(paid_on__lte=day).aggregate(t=Sum("amount"))["t"]
    return flooring.advance - (paid or ZERO)


def reconcile(statement: LenderStatement) -> Reconciliation:
    """The lender's list against ours on the statement's day: units only they have, units
    only we have, and units whose balances differ."""
    day = statement.statement_on
    ours = {
        f.vehicle.vin: f
        for f in Flooring.objects.filter(facility=statement.facility, floored_on__lte=day)
        .select_related("vehicle")
        .order_by("floored_on", "id")
        if f.paid_off_on is None or f.paid_off_on > day
    }
    theirs: dict[str, Decimal] = {}
    for line in statement.lines.all():
        theirs[line.vin] = theirs.get(line.vin, ZERO) + line.balance
    result = Reconciliation([], [], [], 0)
    for vin, balance in sorted(theirs.items()):
        flooring = ours.get(vin)
        if flooring is None:
            result.theirs_not_ours.append((vin, balance))
            continue
        mine = balance_on(flooring, day)
        if mine != balance:
            result.differences.append((flooring, mine, balance))
        else:
            result.matched += 1
    for vin, flooring in sorted(ours.items()):
        if vin not in theirs:
            result.ours_not_theirs.append((flooring, balance_on(flooring, day)))
    return result
