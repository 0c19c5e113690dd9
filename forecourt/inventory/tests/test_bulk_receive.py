"""Bulk receiving (what the CSV import writes): history, prices and audit per vehicle, a
fixed number of queries per batch, all or none, and prepare_vehicle's lighter validation
reporting exactly what full_clean reports."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forecourt.core import audit
from forecourt.core.models import AuditEntry
from forecourt.core.request_context import client_ip_var, request_id_var
from forecourt.inventory import actions
from forecourt.inventory.actions import validation
from forecourt.inventory.models import (
    Vehicle,
    VehiclePriceChange,
    VehicleStatusChange,
)
from forecourt.inventory.tests.factories import make_vin, receive

pytestmark = pytest.mark.django_db

ROW: dict[str, Any] = {
    "year": 2020,
    "make": "Honda",
    "model": "Accord",
    "acquisition_source": "auction",
    "acquisition_cost": Decimal("15000"),
    "list_price": Decimal("19995"),
    "status": "available",
}


def prepared(actor, rooftop, count: int = 1, **fields: Any) -> list[Vehicle]:
    rows = [{**ROW, "vin": make_vin(), **fields} for _ in range(count)]
    return [
        actions.prepare_vehicle(
            actor, rooftop=rooftop, check_access=False, check_unique=False, **row
        )
        for row in rows
    ]


def test_each_vehicle_gets_its_status_row_price_rows_and_audit_entry(manager, rooftop) -> None:
    vehicles = [
        *prepared(manager, rooftop, internet_price=Decimal("19495.5"), stock_number="OWN-1"),
        *prepared(manager, rooftop, status="incoming", trim="EX-L", odometer=12),
        *prepared(manager, rooftop, list_price=Decimal("0")),  # no price: no price rows
    ]
    # What an entry held when it was built from the instance (the former bulk_create).
    expected_changes = [audit.diff({}, audit.snapshot(v)) for v in vehicles]
    request_id, client_ip = request_id_var.set("req-42"), client_ip_var.set("203.0.113.9")
    try:
        created = actions.bulk_receive_vehicles(manager, rooftop, vehicles)
    finally:
        request_id_var.reset(request_id)
        client_ip_var.reset(client_ip)

    assert [v.pk for v in created] == [v.pk for v in vehicles]
    assert all(v.pk and not v._state.adding for v in created)
    first, second, third = created
    assert first.stock_number == "OWN-1"
    assert second.stock_number == f"{timezone.localdate().year % 100:02d}0001"
    # The rows hold the objects' values (COPY writes attributes as they are: no Vehicle
    # field has pre_save work such as auto_now).
    assert not any(
        getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        for f in Vehicle._meta.concrete_fields
    )
    for vehicle in created:
        stored = Vehicle.objects.get(pk=vehicle.pk)
        for f in Vehicle._meta.concrete_fields:
            assert getattr(stored, f.attname) == getattr(vehicle, f.attname), f.name
    assert Vehicle.objects.get(pk=first.pk).internet_price == Decimal("19495.50")

    for vehicle in created:
        history = VehicleStatusChange.objects.get(vehicle=vehicle)
        assert (history.from_status, history.to_status, history.reason) == (
            "", vehicle.status, "received",
        )  # fmt: skip
        assert history.changed_by == manager
    prices = {
        (p.vehicle_id, p.field, p.old_price, p.new_price, p.reason, p.changed_by_id)
        for p in VehiclePriceChange.objects.filter(vehicle__in=created)
    }
    assert prices == {
        (first.pk, "list_price", None, Decimal("19995.00"), "initial price", manager.pk),
        (first.pk, "internet_price", None, Decimal("19495.50"), "initial price", manager.pk),
        (second.pk, "list_price", None, Decimal("19995.00"), "initial price", manager.pk),
    }
    assert not VehiclePriceChange.objects.filter(vehicle=third).exists()

    entries = AuditEntry.objects.filter(action="inventory.receive_vehicle").order_by("id")
    assert [e.object_id for e in entries] == [str(v.pk) for v in created]
    for entry, vehicle, changes in zip(entries, created, expected_changes, strict=True):
        assert entry.actor == manager
        assert entry.actor_label == manager.email
        assert entry.object_type == "inventory.vehicle"
        assert entry.object_repr == str(vehicle)
        assert entry.rooftop_id == rooftop.pk
        assert (entry.request_id, entry.ip_address) == ("req-42", "203.0.113.9")
        assert entry.created_at is not None
        # Same content as before, except what the write itself decides (stock number, id).
        changes["stock_number"] = [None, vehicle.stock_number]
        assert entry.changes == changes
    assert entries[0].changes["list_price"] == [None, "19995.00"]
    assert entries[0].changes["vin"] == [None, first.vin]


def test_bulk_and_single_receive_write_the_same_audit_content(manager, rooftop) -> None:
    single = receive(manager, rooftop, **ROW)
    (bulk,) = actions.bulk_receive_vehicles(manager, rooftop, prepared(manager, rooftop))
    one, other = (
        AuditEntry.objects.get(action="inventory.receive_vehicle", object_id=str(v.pk))
        for v in (single, bulk)
    )
    differ = {"vin", "stock_number", "created_at", "updated_at", "odometer"}
    assert {k: v for k, v in one.changes.items() if k not in differ} == {
        k: v for k, v in other.changes.items() if k not in differ
    }
    assert (one.actor_id, one.actor_label, one.rooftop_id) == (
        other.actor_id, other.actor_label, other.rooftop_id,
    )  # fmt: skip


def test_a_batch_takes_the_same_queries_whatever_its_size(manager, rooftop) -> None:
    # Warm up: the first batch creates the stock-number counter and loads the permissions.
    actions.bulk_receive_vehicles(manager, rooftop, prepared(manager, rooftop))
    counts = []
    for size in (2, 40):
        vehicles = prepared(manager, rooftop, size)
        with CaptureQueriesContext(connection) as queries:
            actions.bulk_receive_vehicles(manager, rooftop, vehicles)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # Pinned so per-row statements cannot creep back: savepoint, rooftop check, stock-number
    # counter (get, lock, taken numbers, update), savepoint, ids (PostgreSQL only), the
    # vehicles, release, status rows, price rows, audit entries (one COPY each on
    # PostgreSQL, one INSERT each on SQLite), release.
    expected = 14 if connection.vendor == "postgresql" else 13
    assert counts[0] == expected, [q["sql"][:60] for q in queries.captured_queries]


def test_a_clash_writes_nothing_of_the_batch(manager, rooftop) -> None:
    taken = receive(manager, rooftop)
    vehicles = [*prepared(manager, rooftop), *prepared(manager, rooftop, vin=taken.vin)]
    before = (
        Vehicle.objects.count(),
        VehicleStatusChange.objects.count(),
        AuditEntry.objects.count(),
    )
    with pytest.raises(ValidationError) as caught:
        actions.bulk_receive_vehicles(manager, rooftop, vehicles)
    assert "clashes with an active VIN" in caught.value.message_dict["vin"][0]
    assert all(v.pk is None for v in vehicles)
    assert (
        Vehicle.objects.count(),
        VehicleStatusChange.objects.count(),
        AuditEntry.objects.count(),
    ) == before


@pytest.mark.parametrize(
    "bad",
    [
        {"make": "x" * 41},
        {"make": ""},
        {"year": 1800},
        {"year": 40000},
        {"condition": "shiny"},
        {"acquisition_source": "found"},
        {"acquisition_cost": Decimal("1.234")},
        {"acquisition_cost": Decimal("-1")},
        {"odometer": -1},
        {"list_price": Decimal("123456789012")},
        {"stock_number": "S" * 33},
        {"trim": "t" * 61, "notes": "fine", "key_tag": "k" * 21},
        {"acquired_on": None},
        {"title_brand": "burnt", "is_published": None},
    ],
)
def test_bulk_validation_reports_what_full_clean_reports(manager, rooftop, bad) -> None:
    """The import's prepare_vehicle cleans only the given and required fields; the errors
    (field and message) must be exactly those of the full validation."""
    fields = {**ROW, "vin": make_vin(), **bad}
    with pytest.raises(ValidationError) as light:
        actions.prepare_vehicle(
            manager, rooftop=rooftop, check_access=False, check_unique=False, **fields
        )
    with pytest.raises(ValidationError) as full:
        actions.prepare_vehicle(manager, rooftop=rooftop, **fields)
    assert light.value.message_dict == full.value.message_dict


def test_every_default_is_valid(rooftop) -> None:
    """prepare_vehicle(check_unique=False) does not clean fields the caller left at their
    defaults: that is only right while every default passes validation."""
    vehicle = Vehicle(
        rooftop=rooftop, vin=make_vin(), stock_number="S1", year=2020, make="Honda",
        model="Accord", acquisition_source="auction",
    )  # fmt: skip
    vehicle.full_clean(validate_unique=False, validate_constraints=False)
    required = {f.name for f in validation.checked_fields(frozenset())}
    assert required == {"vin", "stock_number", "year", "make", "model", "acquisition_source"}


def test_generated_numbers_skip_ones_taken_by_hand_inside_the_batch(manager, rooftop) -> None:
    year = timezone.localdate().year % 100
    prefix = f"{year:02d}"
    receive(manager, rooftop, stock_number=f"{prefix}0002")  # by hand, ahead of the counter
    created = actions.bulk_receive_vehicles(manager, rooftop, prepared(manager, rooftop, 3))
    assert [v.stock_number for v in created] == [f"{prefix}{n:04d}" for n in (1, 3, 4)]
