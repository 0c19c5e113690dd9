"""Floor plan through the actions: flooring, limits, payments, accrual, exposure, alerts,
lender statements."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from forecourt.accounts.roles import Role
from forecourt.core.models import AuditEntry
from forecourt.core.observability import store
from forecourt.core.observability.models import Alert
from forecourt.inventory import actions as inventory
from forecourt.inventory.models import VehicleCost
from forecourt.inventory.tests.factories import make_vin, receive
from forecourt.purchasing import actions
from forecourt.purchasing.stocking.models import Flooring, FlooringStatus, InterestAccrual
from forecourt.purchasing.stocking.reads import facility_exposure, reconcile
from forecourt.purchasing.tests.factories import buy, facility

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def manager(make_user, rooftop):
    return make_user(Role.SALES_MANAGER, rooftops=[rooftop])


def unit(actor, rooftop, cost="20000.00", **fields):
    return receive(actor, rooftop, acquisition_cost=D(cost), status="incoming", **fields)


def interest_costs(vehicle):
    rows = VehicleCost.objects.filter(
        vehicle=vehicle, description__startswith="Floor-plan interest"
    )
    return [(c.incurred_on, c.amount) for c in rows.order_by("id")]


def test_floor_a_vehicle_at_the_advance_rate(manager, rooftop):
    line = facility(manager, rooftop, advance_percent="90", flooring_fee="45.00")
    vehicle = unit(manager, rooftop, cost="15333.33")
    flooring = actions.floor_vehicle(manager, line, vehicle, floored_on=date(2026, 1, 5))
    assert (flooring.advance, flooring.principal) == (D("13800.00"), D("13800.00"))
    assert vehicle.true_cost == D("15378.33")  # the lender's flooring fee is a cost
    assert AuditEntry.objects.filter(action="purchasing.floor_vehicle").count() == 1
    with pytest.raises(ValidationError) as error:
        actions.floor_vehicle(manager, line, vehicle)
    assert error.value.message_dict == {"vehicle": ["This vehicle is already floored."]}


def test_a_floored_vehicle_above_the_limit_is_refused(manager, rooftop):
    line = facility(manager, rooftop, credit_limit="30000.00")
    actions.floor_vehicle(manager, line, unit(manager, rooftop, cost="20000"))
    second = unit(manager, rooftop, cost="12500")
    with pytest.raises(ValidationError) as error:
        actions.floor_vehicle(manager, line, second)
    assert error.value.message_dict == {
        "advance": ["Above the facility's limit: 10000.00 of 30000.00 is available."]
    }
    with pytest.raises(ValidationError) as error:
        actions.floor_vehicle(manager, line, second, advance="13000")
    assert "advances at most 100" in error.value.message_dict["advance"][0]
    assert Flooring.objects.filter(vehicle=second).count() == 0
    assert actions.floor_vehicle(manager, line, second, advance="10000").principal == D("10000.00")


def test_payments_above_the_balance_are_refused(manager, rooftop):
    flooring = actions.floor_vehicle(
        manager, facility(manager, rooftop), unit(manager, rooftop), floored_on=date(2026, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        actions.pay_off(manager, flooring, amount="20000.01", paid_on=date(2026, 1, 10))
    assert error.value.message_dict == {
        "amount": ["Larger than the balance: 20000.00 is outstanding."]
    }
    with pytest.raises(ValidationError):
        actions.pay_curtailment(manager, flooring, amount="25000", paid_on=date(2026, 1, 10))
    with pytest.raises(ValidationError):
        actions.pay_off(manager, flooring, amount="100", paid_on=date(2026, 1, 10))
    flooring.refresh_from_db()
    assert (flooring.principal, flooring.status, flooring.payments.count()) == (
        D("20000.00"),
        "open",
        0,
    )
    assert InterestAccrual.objects.count() == 0  # a refused payoff accrued nothing either


def test_daily_accrual_to_the_cent_with_a_rate_change_mid_month(manager, rooftop):
    line = facility(manager, rooftop, annual_percent="7.30")
    actions.change_rate(manager, line, effective_from=date(2026, 1, 16), annual_percent="9.125")
    vehicle = unit(manager, rooftop)
    flooring = actions.floor_vehicle(manager, line, vehicle, floored_on=date(2026, 1, 1))
    actions.accrue_interest(today=date(2026, 1, 2))
    actions.accrue_interest(today=date(2026, 2, 1))
    flooring.refresh_from_db()
    # 15 days x 4.00 + 16 days x 5.00
    assert flooring.interest_accrued == D("140.00")
    assert flooring.accrued_through == date(2026, 1, 31)
    assert interest_costs(vehicle) == [
        (date(2026, 1, 1), D("4.00")),
        (date(2026, 1, 31), D("136.00")),  # a late run catches up every missed day at once
    ]
    assert vehicle.true_cost == D("20140.00")
    with pytest.raises(ValidationError):
        actions.change_rate(manager, line, effective_from=date(2026, 1, 20), annual_percent="5")


def test_the_job_run_twice_on_one_day_accrues_once(manager, rooftop):
    vehicle = unit(manager, rooftop)
    actions.floor_vehicle(manager, facility(manager, rooftop), vehicle, floored_on=date(2026, 3, 1))
    assert actions.accrue_interest(today=date(2026, 3, 11)) == 1
    assert actions.accrue_interest(today=date(2026, 3, 11)) == 0
    assert InterestAccrual.objects.count() == 10
    assert interest_costs(vehicle) == [(date(2026, 3, 10), D("40.00"))]


def test_a_leap_year_by_actual_actual(manager, rooftop):
    line = facility(manager, rooftop, day_count="actual/actual")
    vehicle = unit(manager, rooftop)
    actions.floor_vehicle(manager, line, vehicle, floored_on=date(2028, 2, 1))
    actions.accrue_interest(today=date(2028, 3, 1))
    assert interest_costs(vehicle) == [(date(2028, 2, 29), D("115.68"))]


def test_curtailments_lower_the_interest_and_payoff_clears_it(manager, rooftop):
    line = facility(manager, rooftop)
    vehicle = unit(manager, rooftop)
    flooring = actions.floor_vehicle(manager, line, vehicle, floored_on=date(2026, 1, 10))
    due = facility_exposure(line, today=date(2026, 3, 20)).curtailments_due
    assert [(d.due_on, d.amount) for _, d in due] == [(date(2026, 4, 10), D("2000.00"))]
    actions.accrue_interest(today=date(2026, 4, 10))  # 90 days x 4.00
    actions.pay_curtailment(manager, flooring, amount="2000.00", paid_on=date(2026, 4, 10))
    actions.pay_off(manager, flooring, paid_on=date(2026, 4, 20))  # 10 days x 3.60
    flooring.refresh_from_db()
    assert (flooring.status, flooring.principal, flooring.paid_off_on) == (
        FlooringStatus.PAID_OFF,
        D("0.00"),
        date(2026, 4, 20),
    )
    assert flooring.interest_accrued == D("396.00")
    assert flooring.accrued_through == date(2026, 4, 19)
    assert actions.accrue_interest(today=date(2026, 5, 1)) == 0
    assert list(flooring.payments.values_list("kind", "amount")) == [
        ("curtailment", D("2000.00")),
        ("payoff", D("18000.00")),
    ]


def test_a_sale_pays_off_and_an_unpaid_sale_raises_an_alert(manager, rooftop):
    store.clear()
    line = facility(manager, rooftop, payoff_due_days=5)
    paid, unpaid = unit(manager, rooftop), unit(manager, rooftop)
    today = timezone.localdate()
    for vehicle in (paid, unpaid):
        actions.floor_vehicle(manager, line, vehicle, floored_on=today - timedelta(days=30))
        inventory.change_status(manager, vehicle, to_status="available")
        inventory.change_status(manager, vehicle, to_status="sold")
    payment = actions.pay_off_on_sale(manager, paid, today)
    assert payment.amount == D("20000.00")
    assert actions.pay_off_on_sale(manager, paid, today) is None  # twice is harmless
    assert actions.alert_out_of_trust(today + timedelta(days=5)) == 0  # within the days
    assert actions.alert_out_of_trust(today + timedelta(days=6)) == 1
    alert = Alert.objects.get()
    assert alert.level == "critical"
    assert alert.title.startswith(f"Sold out of trust: {unpaid.stock_number}")
    assert alert.details["principal"] == "20000.00"
    exposure = facility_exposure(line, today=today + timedelta(days=6))
    assert [f.vehicle for f in exposure.out_of_trust] == [unpaid]


def test_exposure_of_a_facility(manager, rooftop):
    line = facility(manager, rooftop, credit_limit="80000")
    today = date(2026, 6, 15)
    for cost in ("20000", "10000"):
        actions.floor_vehicle(
            manager, line, unit(manager, rooftop, cost=cost), floored_on=date(2026, 5, 1)
        )
    actions.accrue_interest(today=today)
    exposure = facility_exposure(line, today=today)
    assert (exposure.used, exposure.available, exposure.utilisation) == (
        D("30000.00"),
        D("50000.00"),
        D("37.5"),
    )
    # June 1-14 at 4.00 + 2.00 a day
    assert exposure.interest_this_month == D("84.00")
    # Day 90 after 1 May is 30 July: in the next 30 days from 15 July, not from 15 June.
    assert exposure.curtailments_due == []
    later = facility_exposure(line, today=date(2026, 7, 15))
    assert sorted(d.amount for _, d in later.curtailments_due) == [D("1000.00"), D("2000.00")]


def test_lender_statement_reconciliation(manager, rooftop):
    line = facility(manager, rooftop)
    matched, differs, ours_only = (unit(manager, rooftop) for _ in range(3))
    for vehicle in (matched, differs, ours_only):
        actions.floor_vehicle(manager, line, vehicle, floored_on=date(2026, 2, 1))
    theirs_only = make_vin()
    csv_text = (
        "VIN,Balance,Reference\n"
        f'{matched.vin},20000.00,A1\n{differs.vin},"19,500.00",A2\n{theirs_only},9000,A3\n'
    )
    statement = actions.import_lender_statement(
        manager, line, content=csv_text, statement_on=date(2026, 3, 1), filename="march.csv"
    )
    result = reconcile(statement)
    assert result.matched == 1
    assert result.theirs_not_ours == [(theirs_only, D("9000.00"))]
    assert [(f.vehicle, ours) for f, ours in result.ours_not_theirs] == [(ours_only, D("20000.00"))]
    assert [(f.vehicle, ours, theirs) for f, ours, theirs in result.differences] == [
        (differs, D("20000.00"), D("19500.00"))
    ]


def test_a_bad_statement_imports_nothing(manager, rooftop):
    line = facility(manager, rooftop)
    with pytest.raises(ValidationError) as error:
        actions.import_lender_statement(
            manager,
            line,
            content="vin,balance\nNOPE,10\n" + make_vin() + ",abc\n",
            statement_on=date(2026, 3, 1),
        )
    assert error.value.message_dict["file"] == [
        "Row 2: NOPE is not a VIN.",
        "Row 3: 'abc' is not an amount.",
    ]
    with pytest.raises(ValidationError):
        actions.import_lender_statement(
            manager, line, content="stock,amount\n", statement_on=date(2026, 3, 1)
        )
    assert line.statements.count() == 0


def test_a_bad_facility_is_refused(manager, rooftop):
    with pytest.raises(ValidationError) as error:
        facility(
            manager,
            rooftop,
            credit_limit="0",
            advance_percent="120",
            day_count="30/360",
            curtailments=[{"age_days": 90, "percent": "70"}, {"age_days": 120, "percent": "40"}],
        )
    assert set(error.value.message_dict) == {
        "credit_limit",
        "advance_percent",
        "day_count",
        "curtailments",
    }


def test_floor_the_purchase_two_of_three(manager, rooftop):
    invoice = buy(manager, rooftop, "15000", "12500", "9800")
    line = facility(manager, rooftop)
    first, second, _third = (purchase.vehicle for purchase in invoice.lines.order_by("id"))
    for vehicle in (first, second):
        actions.floor_vehicle(manager, line, vehicle)
    assert facility_exposure(line).used == D("27500.00")
