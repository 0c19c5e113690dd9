"""Time-to-line arithmetic without the database: calendar and business days between two
dates, per stage and per vehicle, and the bottleneck stage of a set of vehicles.

A span is [start, end): a vehicle that enters a stage and leaves it the same day spent 0
days there; one that enters on Monday and leaves on Tuesday spent 1. Business days are
Monday to Friday minus the rooftop's holidays.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

SATURDAY = 5


def calendar_days(start: date, end: date) -> int:
    return max(0, (end - start).days)


def business_days(start: date, end: date, holidays: Iterable[date] = ()) -> int:
    """Weekdays in [start, end) that are not holidays."""
    if end <= start:
        return 0
    total = (end - start).days
    whole_weeks, rest = divmod(total, 7)
    count = whole_weeks * 5
    for offset in range(rest):
        if (start + timedelta(days=whole_weeks * 7 + offset)).weekday() < SATURDAY:
            count += 1
    off = {h for h in holidays if start <= h < end and h.weekday() < SATURDAY}
    return count - len(off)


@dataclass(frozen=True)
class StageSpan:
    """A vehicle's time in one stage; `left_on` None while it is still there."""

    stage: str
    entered_on: date
    left_on: date | None


@dataclass(frozen=True)
class Duration:
    calendar: int
    business: int


def span_duration(span: StageSpan, today: date, holidays: Iterable[date] = ()) -> Duration:
    end = span.left_on or today
    return Duration(
        calendar_days(span.entered_on, end), business_days(span.entered_on, end, holidays)
    )


def time_to_line(
    received_on: date, front_line_on: date | None, today: date, holidays: Iterable[date] = ()
) -> Duration:
    """From the day a unit arrived to the day it went on the front line (or today)."""
    end = front_line_on or today
    return Duration(calendar_days(received_on, end), business_days(received_on, end, holidays))


def stage_durations(
    spans: Iterable[StageSpan], today: date, holidays: Iterable[date] = ()
) -> dict[str, Duration]:
    """Total time per stage (a vehicle sent back to a stage adds its second visit)."""
    holidays = tuple(holidays)
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for span in spans:
        duration = span_duration(span, today, holidays)
        totals[span.stage][0] += duration.calendar
        totals[span.stage][1] += duration.business
    return {stage: Duration(c, b) for stage, (c, b) in totals.items()}


@dataclass(frozen=True)
class StageAverage:
    stage: str
    vehicles: int
    average_business_days: Decimal
    average_calendar_days: Decimal


def stage_averages(
    per_vehicle: Sequence[dict[str, Duration]], stage_order: Sequence[str]
) -> list[StageAverage]:
    """Average days per stage over the vehicles that went through it, in stage order."""
    out = []
    for stage in stage_order:
        seen = [durations[stage] for durations in per_vehicle if stage in durations]
        if not seen:
            out.append(StageAverage(stage, 0, Decimal("0.0"), Decimal("0.0")))
            continue
        business = Decimal(sum(d.business for d in seen)) / len(seen)
        calendar = Decimal(sum(d.calendar for d in seen)) / len(seen)
        out.append(StageAverage(stage, len(seen), _one_place(business), _one_place(calendar)))
    return out


def bottleneck(averages: Sequence[StageAverage]) -> str | None:
    """The stage where vehicles wait longest on average (business days, then calendar
    days; the earlier stage on a tie); None when no vehicle went through any stage."""
    used = [a for a in averages if a.vehicles]
    if not used:
        return None
    best = max(
        enumerate(used),
        key=lambda item: (item[1].average_business_days, item[1].average_calendar_days, -item[0]),
    )
    return best[1].stage


def _one_place(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
