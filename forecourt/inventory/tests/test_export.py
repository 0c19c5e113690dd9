"""CSV and XLSX export of the filtered vehicle list: same filters, permission, audit."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from openpyxl import load_workbook

from forecourt.accounts.roles import Role
from forecourt.core.models import AuditEntry
from forecourt.inventory.actions import exports as export_actions
from forecourt.inventory.imports import export
from forecourt.inventory.tests.factories import receive


@pytest.fixture
def stock(manager, rooftop):
    return [
        receive(manager, rooftop, make="Honda", model="Civic", list_price="15000", year=2018),
        receive(manager, rooftop, make="Honda", model="Accord", list_price="22000", year=2021),
        receive(manager, rooftop, make="Toyota", model="Corolla", list_price="18000", year=2019),
        receive(manager, rooftop, make="=HYPERLINK(1)", model="Evil", list_price="1", year=2020),
    ]


def read_csv(response) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_csv_export_holds_exactly_the_filtered_list_in_its_sort(manager, stock, client_for):
    response = client_for(manager).get("/inventory/export.csv?make=Honda&sort=-list_price")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert [(r["model"], r["list_price"]) for r in rows] == [
        ("Accord", "22000.00"),
        ("Civic", "15000.00"),
    ]
    assert rows[0]["vin"] == stock[1].vin
    assert "acquisition_cost" in rows[0]  # a sales manager may see costs
    entry = AuditEntry.objects.get(action="inventory.export_vehicles")
    assert entry.changes["rows"] == [None, 2]
    assert entry.changes["filters"][1]["make"] == "Honda"


def test_csv_export_neutralises_formulas(manager, stock, client_for):
    rows = read_csv(client_for(manager).get("/inventory/export.csv?model=Evil"))
    assert rows[0]["make"] == "'=HYPERLINK(1)"


def test_xlsx_export_has_typed_cells(manager, stock, client_for):
    response = client_for(manager).get("/inventory/export.xlsx?year_min=2019&sort=year")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    sheet = workbook["Vehicles"]
    values = list(sheet.values)
    header, data = values[0], values[1:]
    models = [row[header.index("model")] for row in data]
    assert models == ["Corolla", "Evil", "Accord"]
    price = data[0][header.index("list_price")]
    assert Decimal(str(price)) == Decimal("18000")
    assert data[1][header.index("make")] == "'=HYPERLINK(1)"
    assert AuditEntry.objects.filter(action="inventory.export_vehicles").count() == 1


def test_export_needs_the_export_permission_and_is_rooftop_scoped(
    salesperson, manager, stock, make_user, other_rooftop, client_for
):
    assert client_for(salesperson).get("/inventory/export.csv").status_code == 403
    outsider = make_user(Role.SALES_MANAGER, rooftops=[other_rooftop])
    receive(outsider, other_rooftop, make="Ford", model="Focus")
    rows = read_csv(client_for(outsider).get("/inventory/export.csv"))
    assert [r["make"] for r in rows] == ["Ford"]


def test_costs_are_left_out_for_users_without_the_cost_permission(make_user):
    user = make_user(role=None)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="inventory", codename="view_vehicle")
    )
    user = type(user).objects.get(pk=user.pk)  # fresh permission cache
    columns = export.export_columns(user)
    assert "acquisition_cost" not in columns
    assert "floor_price" not in columns
    assert "list_price" in columns


def test_bad_filters_are_a_400(manager, client_for):
    response = client_for(manager).get("/inventory/export.csv?year_min=abc")
    assert response.status_code == 400
    assert "year_min" in response.content.decode()


def test_bulk_reads_are_reported_to_monitoring(manager, stock, client_for, monkeypatch):
    seen = []
    monkeypatch.setattr(export_actions, "note_bulk_read", lambda *args: seen.append(args))
    read_csv(client_for(manager).get("/inventory/export.csv"))
    assert seen == [(manager, "inventory.vehicles", 4)]
