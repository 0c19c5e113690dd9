"""A vehicle's costs are for the roles that desk deals and the accountant: the page, the API
(both lanes) and the export agree on who sees them."""

from decimal import Decimal

import pytest

from forecourt.accounts.roles import ROLE_GRANTS, Role, granted
from forecourt.core.testing import bearer
from forecourt.inventory import actions
from forecourt.inventory.imports.export import export_columns
from forecourt.inventory.search import COST_PERMISSION
from forecourt.inventory.tests.factories import receive

pytestmark = pytest.mark.django_db

SEES_COSTS = {Role.OWNER, Role.GENERAL_MANAGER, Role.SALES_MANAGER, Role.ACCOUNTANT}


@pytest.mark.parametrize("role", list(Role))
def test_only_managers_and_the_accountant_hold_the_cost_permission(role):
    assert granted(role, COST_PERMISSION) == (role in SEES_COSTS)
    if "inventory.view_*" in ROLE_GRANTS[role] and role not in SEES_COSTS:
        assert granted(role, "inventory.view_vehicle")  # the pattern still grants the rest


@pytest.fixture
def costed(owner, rooftop):
    vehicle = receive(owner, rooftop, acquisition_cost=Decimal("10000"))
    actions.add_cost(owner, vehicle, kind="transport", amount="250.50")
    return vehicle


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.SALES_MANAGER, ("10000.00", "250.50", "10250.50")),
        (Role.SALESPERSON, (None, None, None)),
        (Role.TECHNICIAN, (None, None, None)),
    ],
)
def test_the_api_detail_shows_costs_only_with_the_permission(
    client, token_for, make_user, rooftop, costed, role, expected
):
    user = make_user(role, rooftops=[rooftop])
    headers = bearer(token_for(user))
    for path in (f"/api/v1/vehicles/{costed.pk}", f"/api/v1/vehicles/by-vin/{costed.vin}"):
        body = client.get(path, **headers).json()
        assert (body["acquisition_cost"], body["added_costs"], body["true_cost"]) == expected
        assert body["list_price"] == "19995.00"  # the rest of the unit is there
    costs = client.get(f"/api/v1/vehicles/{costed.pk}/costs", **headers)
    assert costs.status_code == (200 if expected[0] else 403)


def test_the_page_shows_costs_only_with_the_permission(client_for, make_user, rooftop, costed):
    manager = make_user(Role.SALES_MANAGER, rooftops=[rooftop])
    seller = make_user(Role.SALESPERSON, rooftops=[rooftop])
    url = f"/inventory/{costed.pk}/"
    managers_page = client_for(manager).get(url).content.decode()
    sellers_page = client_for(seller).get(url).content.decode()
    assert "$10,250.50" in managers_page
    assert "$250.50" in managers_page
    assert "10,250.50" not in sellers_page
    assert "250.50" not in sellers_page
    assert "$19,995.00" in sellers_page


def test_the_export_leaves_out_costs_without_the_permission(make_user, rooftop):
    seller = make_user(Role.SALESPERSON, rooftops=[rooftop])
    accountant = make_user(Role.ACCOUNTANT, rooftops=[rooftop])
    assert "acquisition_cost" not in export_columns(seller)
    assert "floor_price" not in export_columns(seller)
    assert {"acquisition_cost", "floor_price"} <= set(export_columns(accountant))
