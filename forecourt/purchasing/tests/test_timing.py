"""Time-to-line arithmetic: worked examples and properties."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from forecourt.purchasing.recon.timing import (
    Duration,
    StageSpan,
    bottleneck,
    business_days,
    calendar_days,
    stage_averages,
    stage_durations,
    time_to_line,
)

MON = date(2026, 11, 30)  # a Monday


def test_business_days_skip_weekends_and_holidays():
    assert business_days(MON, MON + timedelta(days=7)) == 5
    assert business_days(MON + timedelta(days=4), MON + timedelta(days=7)) == 1  # Fri -> Mon
    assert business_days(MON + timedelta(days=5), MON + timedelta(days=7)) == 0  # weekend
    christmas = date(2026, 12, 25)  # a Friday
    assert business_days(date(2026, 12, 21), date(2026, 12, 28), [christmas]) == 4
    assert business_days(MON, MON) == 0
    assert business_days(MON, MON - timedelta(days=3)) == 0


def test_time_to_line_per_vehicle_and_stage():
    # Arrived Monday; inspection Mon-Tue, mechanical Tue-Fri, detail Fri-next Tue.
    spans = [
        StageSpan("inspection", MON, MON + timedelta(days=1)),
        StageSpan("mechanical", MON + timedelta(days=1), MON + timedelta(days=4)),
        StageSpan("detail", MON + timedelta(days=4), MON + timedelta(days=8)),
    ]
    durations = stage_durations(spans, today=MON + timedelta(days=20))
    assert durations == {
        "inspection": Duration(1, 1),
        "mechanical": Duration(3, 3),
        "detail": Duration(4, 2),
    }
    assert time_to_line(MON, MON + timedelta(days=8), today=MON) == Duration(8, 6)
    # Not on the line yet: counted to today.
    assert time_to_line(MON, None, today=MON + timedelta(days=2)) == Duration(2, 2)


def test_the_bottleneck_is_the_longest_average_stage():
    a = {"inspection": Duration(1, 1), "mechanical": Duration(5, 4), "detail": Duration(2, 2)}
    b = {"inspection": Duration(2, 2), "mechanical": Duration(1, 1), "detail": Duration(7, 5)}
    averages = stage_averages([a, b], ["inspection", "mechanical", "body", "detail"])
    assert [(x.stage, x.vehicles, x.average_business_days) for x in averages] == [
        ("inspection", 2, Decimal("1.5")),
        ("mechanical", 2, Decimal("2.5")),
        ("body", 0, Decimal("0.0")),
        ("detail", 2, Decimal("3.5")),
    ]
    assert bottleneck(averages) == "detail"
    assert bottleneck(stage_averages([], ["inspection"])) is None


dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2032, 12, 31))


@given(dates, st.integers(0, 800), st.integers(0, 800))
def test_business_days_add_up_and_never_exceed_calendar_days(start, first, second):
    middle = start + timedelta(days=first)
    end = middle + timedelta(days=second)
    assert business_days(start, end) == business_days(start, middle) + business_days(middle, end)
    assert business_days(start, end) <= calendar_days(start, end)


@given(dates, st.integers(0, 100))
def test_whole_weeks_have_five_business_days(start, weeks):
    assert business_days(start, start + timedelta(weeks=weeks)) == 5 * weeks


@given(dates, st.integers(1, 60), st.lists(st.integers(0, 59), max_size=10))
def test_holidays_count_only_on_weekdays_inside_the_span(start, length, offsets):
    end = start + timedelta(days=length)
    holidays = [start + timedelta(days=o) for o in offsets]
    inside = {h for h in holidays if h < end and h.weekday() < 5}
    assert business_days(start, end, holidays) == business_days(start, end) - len(inside)
