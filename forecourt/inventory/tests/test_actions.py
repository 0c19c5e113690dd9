"""Inventory actions: validation, lifecycle, history, audit, permissions and rooftops."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from forecourt.accounts.roles import Role
from forecourt.core.models import AuditEntry
from forecourt.inventory import actions
from forecourt.inventory.models import (
    AgingBucket,
    Status,
    StockNumberSettings,
    Vehicle,
    VehicleHold,
    VehiclePriceChange,
    VehicleStatusChange,
)
from forecourt.inventory.tests.factories import make_vin, receive

pytestmark = pytest.mark.django_db


def test_receive_generates_a_stock_number_records_history_and_audits(salesperson, rooftop):
    vehicle = receive(salesperson, rooftop, list_price=Decimal("18500"))
    year = timezone.localdate().year % 100
    assert vehicle.stock_number == f"{year:02d}0001"
    assert vehicle.version == 1
    second = receive(salesperson, rooftop)
    assert second.stock_number.endswith("0002")
    history = VehicleStatusChange.objects.get(vehicle=vehicle)
    assert (history.from_status, history.to_status, history.changed_by) == (
        "",
        "available",
        salesperson,
    )
    price = VehiclePriceChange.objects.get(vehicle=vehicle, field="list_price")
    assert price.new_price == Decimal("18500.00")
    entry = AuditEntry.objects.get(action="inventory.receive_vehicle", object_id=str(vehicle.pk))
    assert entry.changes["vin"] == [None, vehicle.vin]
    assert entry.rooftop_id == rooftop.pk


def test_stock_number_pattern_is_configurable_and_validated(owner, rooftop):
    with pytest.raises(ValidationError) as caught:
        actions.set_stock_number_pattern(owner, rooftop, "{rooftop_code}-{vin6}")
    assert "{seq}" in caught.value.message_dict["pattern"][0]
    actions.set_stock_number_pattern(owner, rooftop, "U{seq:04d}-{vin6}")
    vehicle = receive(owner, rooftop)
    assert vehicle.stock_number == f"U0001-{vehicle.vin[-6:]}"
    assert StockNumberSettings.objects.get(rooftop=rooftop).last_sequence == 1


def test_a_generated_number_skips_one_taken_by_hand(owner, rooftop):
    year = timezone.localdate().year % 100
    receive(owner, rooftop, stock_number=f"{year:02d}0001")
    assert receive(owner, rooftop).stock_number.endswith("0002")


@pytest.mark.parametrize(
    ("vin", "message"),
    [
        ("1HGCM82633A00435", "17 characters"),
        ("1HGCM82633A0O4352", "never contains O"),
        ("1HGCM82643A004352", "expected 3"),
    ],
)
def test_bad_vin_is_refused_and_nothing_is_written(salesperson, rooftop, vin, message):
    with pytest.raises(ValidationError) as caught:
        receive(salesperson, rooftop, vin=vin)
    assert message in " ".join(caught.value.message_dict["vin"])
    assert not Vehicle.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="inventory.").exists()


def test_non_north_american_bad_check_digit_is_a_warning(salesperson, rooftop):
    vehicle = receive(salesperson, rooftop, vin="WVWZZZ1JZ3W386752")
    assert vehicle.pk
    assert "expected" in vehicle.vin_warnings[0]


def test_active_vin_is_unique_but_may_return_after_it_left(owner, rooftop, other_rooftop):
    vin = make_vin()
    first = receive(owner, rooftop, vin=vin)
    with pytest.raises(ValidationError) as caught:
        receive(owner, other_rooftop, vin=vin)
    assert "already in stock" in str(caught.value)
    actions.change_status(owner, first, to_status=Status.WHOLESALE)
    again = receive(owner, other_rooftop, vin=vin)
    assert again.vin == vin


def test_negative_price_is_refused(salesperson, rooftop):
    vehicle = receive(salesperson, rooftop)
    with pytest.raises(ValidationError) as caught:
        actions.change_price(salesperson, vehicle, list_price="-1")
    assert caught.value.message_dict["list_price"] == ["A price cannot be negative."]
    vehicle.refresh_from_db()
    assert vehicle.list_price == Decimal("19995.00")
    assert vehicle.version == 1


def test_price_change_keeps_history_and_bumps_version(salesperson, rooftop):
    vehicle = receive(salesperson, rooftop)
    changed = actions.change_price(
        salesperson, vehicle, list_price="18995", internet_price="18495.5", reason="aging"
    )
    assert changed.version == 2
    rows = {
        (p.field, p.old_price, p.new_price, p.reason)
        for p in VehiclePriceChange.objects.filter(vehicle=vehicle, reason="aging")
    }
    assert rows == {
        ("list_price", Decimal("19995.00"), Decimal("18995.00"), "aging"),
        ("internet_price", None, Decimal("18495.50"), "aging"),
    }
    entry = AuditEntry.objects.get(action="inventory.change_price")
    assert entry.changes["list_price"] == ["19995.00", "18995.00"]


def test_stale_version_is_a_conflict_and_changes_nothing(owner, rooftop):
    vehicle = receive(owner, rooftop)
    actions.update_vehicle(owner, vehicle, expected_version=1, notes="first")
    with pytest.raises(actions.VersionConflict) as caught:
        actions.update_vehicle(owner, vehicle, expected_version=1, notes="second")
    assert caught.value.current_version == 2
    vehicle.refresh_from_db()
    assert vehicle.notes == "first"


def test_odometer_rollback_needs_a_brand(owner, rooftop):
    vehicle = receive(owner, rooftop, odometer=50000)
    with pytest.raises(ValidationError) as caught:
        actions.update_vehicle(owner, vehicle, odometer=40000)
    assert "cannot go down" in caught.value.message_dict["odometer"][0]
    updated = actions.update_vehicle(owner, vehicle, odometer=40000, odometer_brand="not_actual")
    assert (updated.odometer, updated.odometer_brand) == (40000, "not_actual")


def test_lifecycle_with_hold_sale_and_unwind(salesperson, rooftop):
    vehicle = receive(salesperson, rooftop, status="incoming")
    actions.change_status(salesperson, vehicle, to_status="in_reconditioning")
    actions.change_status(salesperson, vehicle, to_status="available")
    hold = actions.hold_vehicle(salesperson, vehicle, deal_reference="D-1", customer_name="Ann")
    vehicle.refresh_from_db()
    assert vehicle.status == Status.ON_HOLD
    sold = actions.change_status(salesperson, vehicle, to_status="sold", reason="deal D-1")
    assert sold.sold_at is not None
    hold.refresh_from_db()
    assert hold.release_reason == "sold"
    with pytest.raises(ValidationError) as caught:
        actions.change_status(salesperson, vehicle, to_status="available")
    assert "why the sale is unwound" in caught.value.message_dict["reason"][0]
    unwound = actions.change_status(
        salesperson, vehicle, to_status="available", reason="financing fell through"
    )
    assert unwound.sold_at is None
    steps = list(
        VehicleStatusChange.objects.filter(vehicle=vehicle)
        .order_by("id")
        .values_list("from_status", "to_status")
    )
    assert steps == [
        ("", "incoming"),
        ("incoming", "in_reconditioning"),
        ("in_reconditioning", "available"),
        ("available", "on_hold"),
        ("on_hold", "sold"),
        ("sold", "available"),
    ]


def test_illegal_transition_is_refused(owner, rooftop):
    vehicle = receive(owner, rooftop, status="incoming")
    with pytest.raises(ValidationError) as caught:
        actions.change_status(owner, vehicle, to_status="delivered")
    assert "cannot go from incoming to delivered" in caught.value.message_dict["status"][0]
    with pytest.raises(ValidationError):
        actions.change_status(owner, vehicle, to_status="on_hold")
    vehicle.refresh_from_db()
    assert vehicle.status == "incoming"
    assert VehicleStatusChange.objects.filter(vehicle=vehicle).count() == 1


def test_second_hold_is_refused_until_the_first_expires(salesperson, rooftop):
    vehicle = receive(salesperson, rooftop)
    actions.hold_vehicle(salesperson, vehicle, deal_reference="D-1")
    with pytest.raises(ValidationError) as caught:
        actions.hold_vehicle(salesperson, vehicle, deal_reference="D-2")
    assert "Already on hold for deal D-1" in caught.value.message_dict["deal_reference"][0]
    VehicleHold.objects.filter(vehicle=vehicle).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    second = actions.hold_vehicle(salesperson, vehicle, deal_reference="D-2")
    assert second.deal_reference == "D-2"
    assert VehicleHold.objects.get(deal_reference="D-1").release_reason == "expired"
    released = actions.release_hold(salesperson, vehicle, reason="customer walked")
    assert released.released_at is not None
    vehicle.refresh_from_db()
    assert vehicle.status == Status.AVAILABLE


def test_costs_make_the_true_cost(owner, rooftop):
    vehicle = receive(owner, rooftop, acquisition_cost=Decimal("10000"))
    actions.add_cost(owner, vehicle, kind="reconditioning", amount="450.25", vendor="Detail Co")
    actions.add_cost(owner, vehicle, kind="transport", amount="300")
    with pytest.raises(ValidationError):
        actions.add_cost(owner, vehicle, kind="parts", amount="-5")
    vehicle.refresh_from_db()
    assert vehicle.true_cost == Decimal("10750.25")


def test_days_in_stock_and_aging_bucket(owner, rooftop):
    today = timezone.localdate()
    vehicle = receive(owner, rooftop, acquired_on=today - timedelta(days=45))
    assert vehicle.days_in_stock == 45
    assert vehicle.aging_bucket == AgingBucket.UP_TO_60
    annotated = Vehicle.objects.with_days_in_stock().get(pk=vehicle.pk)
    assert annotated.aging_bucket_db == "31-60"


def test_roles_and_rooftops_are_enforced(make_user, rooftop, other_rooftop, owner):
    vehicle = receive(owner, other_rooftop)
    seller_here = make_user(Role.SALESPERSON, rooftops=[rooftop])
    with pytest.raises(PermissionDenied):
        actions.hold_vehicle(seller_here, vehicle, deal_reference="D-9")
    with pytest.raises(PermissionDenied):
        receive(seller_here, other_rooftop)
    reader = make_user(Role.READ_ONLY, rooftops=[other_rooftop])
    with pytest.raises(PermissionDenied):
        actions.change_price(reader, vehicle, list_price="1")
    with pytest.raises(PermissionDenied):
        actions.update_vehicle(make_user(Role.SALESPERSON, rooftops=[other_rooftop]), vehicle)


def test_bulk_actions_change_what_is_legal_and_skip_the_rest(owner, rooftop, other_rooftop):
    incoming = receive(owner, rooftop, status="incoming")
    available = receive(owner, rooftop)
    result = actions.bulk_change_status(owner, [incoming.pk, available.pk], "in_reconditioning")
    assert result.changed == [incoming.pk, available.pk]
    result = actions.bulk_change_status(owner, [incoming.pk], "delivered")
    assert result.changed == []
    assert "cannot go from" in result.skipped[incoming.pk]
    published = actions.bulk_set_published(owner, [incoming.pk, available.pk], True)
    assert sorted(published.changed) == sorted([incoming.pk, available.pk])
    moved = actions.bulk_move_rooftop(owner, [available.pk], other_rooftop)
    assert moved.changed == [available.pk]
    available.refresh_from_db()
    assert available.rooftop_id == other_rooftop.pk
    assert AuditEntry.objects.filter(action="inventory.bulk_move_rooftop").count() == 1


def test_bulk_ignores_vehicles_of_other_rooftops(make_user, owner, rooftop, other_rooftop):
    mine = receive(owner, rooftop)
    theirs = receive(owner, other_rooftop)
    manager = make_user(Role.SALES_MANAGER, rooftops=[rooftop])
    result = actions.bulk_set_published(manager, [mine.pk, theirs.pk], True)
    assert result.changed == [mine.pk]
    theirs.refresh_from_db()
    assert theirs.is_published is False


def test_prepare_and_bulk_receive_write_all_or_nothing(owner, rooftop):
    fields = {
        "year": 2019,
        "make": "Kia",
        "model": "Soul",
        "acquisition_source": "auction",
        "list_price": "12995",
    }
    with pytest.raises(ValidationError):
        actions.prepare_vehicle(owner, rooftop=rooftop, vin="1HGCM82643A004352", **fields)
    batch = [actions.prepare_vehicle(owner, rooftop=rooftop, vin=make_vin(), **fields)]
    assert batch[0].pk is None
    created = actions.bulk_receive_vehicles(owner, rooftop, batch)
    assert created[0].pk is not None
    assert created[0].stock_number.endswith("0001")
    assert AuditEntry.objects.filter(action="inventory.receive_vehicle").count() == 1
    clash = [
        actions.prepare_vehicle(owner, rooftop=rooftop, vin=make_vin(), **fields),
        actions.prepare_vehicle(
            owner, rooftop=rooftop, vin=created[0].vin, check_unique=False, **fields
        ),
    ]
    with pytest.raises(ValidationError):
        actions.bulk_receive_vehicles(owner, rooftop, clash)
    assert Vehicle.objects.count() == 1
