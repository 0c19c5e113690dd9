"""One live deal per vehicle, enforced by the database (PostgreSQL; each thread has its own
connection, as separate app processes would)."""

import pytest
from django.db import IntegrityError, connection, transaction

from forecourt.accounts.testing import restore_roles
from forecourt.core.testing import run_at_once
from forecourt.customers.tests.factories import ApiClient
from forecourt.deals import actions
from forecourt.deals.models import Deal, DealStatus
from forecourt.deals.tests.factories import car, desk
from forecourt.inventory.models import Vehicle

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]
ATTEMPTS = 20


@pytest.fixture(autouse=True)
def roles():
    restore_roles()


def approved_deals_on_one_vehicle(salesperson, rooftop, count):
    """`count` approved deals on one available vehicle: what expired holds leave behind
    (approval holds the vehicle, and a hold lasts at most inventory.MAX_HOLD). The status
    is set directly; reaching it through the actions would take weeks of holds expiring."""
    vehicle = car(salesperson, rooftop)
    deals = [desk(salesperson, rooftop, vehicle=vehicle, price="25000") for _ in range(count)]
    Deal.objects.filter(pk__in=[d.pk for d in deals]).update(status=DealStatus.APPROVED)
    return deals


def test_twenty_concurrent_contracts_one_wins(salesperson, rooftop):
    deals = approved_deals_on_one_vehicle(salesperson, rooftop, ATTEMPTS)
    outcomes = run_at_once(lambda n: actions.contract_deal(salesperson, deals[n].pk), ATTEMPTS)
    wins = [value for kind, value in outcomes if kind == "ok"]
    losses = [value for kind, value in outcomes if kind == "error"]
    assert len(wins) == 1, outcomes
    assert len(losses) == ATTEMPTS - 1
    assert all(isinstance(e, actions.DealConflict) for e in losses), losses
    assert Deal.objects.live().filter(vehicle_id=deals[0].vehicle_id).count() == 1
    assert all("already contracted this vehicle" in str(e) for e in losses)
    winner = Deal.objects.live().get(vehicle_id=deals[0].vehicle_id)
    vehicle = Vehicle.objects.get(pk=winner.vehicle_id)
    assert vehicle.holds.get(released_at__isnull=True).deal_reference == winner.number


def test_the_database_refuses_a_second_live_deal(salesperson, rooftop):
    first, second = approved_deals_on_one_vehicle(salesperson, rooftop, 2)
    Deal.objects.filter(pk=first.pk).update(status=DealStatus.CONTRACTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Deal.objects.filter(pk=second.pk).update(status=DealStatus.DELIVERED)


def test_twenty_concurrent_contract_requests_one_200_the_rest_409(salesperson, rooftop, token_for):
    deals = approved_deals_on_one_vehicle(salesperson, rooftop, ATTEMPTS)
    token = token_for(salesperson)

    def contract(n):
        api = ApiClient(salesperson, token)
        response = api.send("post", f"/deals/{deals[n].pk}/transitions", {"action": "contract"})
        return response.status_code, response.json()

    outcomes = run_at_once(contract, ATTEMPTS)
    statuses = sorted(value[0] for kind, value in outcomes if kind == "ok")
    assert statuses == [200] + [409] * (ATTEMPTS - 1), outcomes
    refused = [value[1] for kind, value in outcomes if kind == "ok" and value[0] == 409]
    assert all("already contracted this vehicle" in body["error"]["message"] for body in refused)
