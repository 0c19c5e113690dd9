"""Lapsed holds are released by the scheduler, not only when someone next tries to hold."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forecourt.core.models import AuditEntry
from forecourt.core.scheduler import registered_jobs
from forecourt.inventory import actions
from forecourt.inventory.models import Status, VehicleHold
from forecourt.inventory.tests.factories import receive

pytestmark = pytest.mark.django_db


def test_an_expired_hold_is_released_and_the_vehicle_is_back_on_sale(salesperson, rooftop):
    lapsed = receive(salesperson, rooftop)
    current = receive(salesperson, rooftop)
    actions.hold_vehicle(salesperson, lapsed, deal_reference="D-OLD")
    actions.hold_vehicle(salesperson, current, deal_reference="D-NEW")

    later = timezone.now() + actions.DEFAULT_HOLD + timedelta(minutes=1)
    VehicleHold.objects.filter(deal_reference="D-NEW").update(expires_at=later + timedelta(days=1))
    assert actions.release_expired_holds(now=later) == 1

    lapsed.refresh_from_db()
    current.refresh_from_db()
    assert (lapsed.status, current.status) == (Status.AVAILABLE, Status.ON_HOLD)
    assert VehicleHold.objects.get(deal_reference="D-OLD").release_reason == "expired"
    assert VehicleHold.objects.get(deal_reference="D-NEW").released_at is None
    change = lapsed.status_changes.order_by("-id").first()
    assert (change.from_status, change.to_status, change.reason) == (
        "on_hold",
        "available",
        "hold expired",
    )
    entry = AuditEntry.objects.get(action="inventory.expire_hold")
    assert (entry.actor_id, entry.object_id, entry.changes) == (
        None,
        str(lapsed.pk),
        {"hold": ["D-OLD", None]},
    )
    # Nothing left to do: a second run changes nothing.
    assert actions.release_expired_holds(now=later) == 0
    # The unit can be held again by another deal.
    actions.hold_vehicle(salesperson, lapsed, deal_reference="D-NEXT")


def test_the_worker_schedules_the_release():
    jobs = {job.name: job for job in registered_jobs()}
    assert jobs["inventory.expired_holds"].run is actions.release_expired_holds
