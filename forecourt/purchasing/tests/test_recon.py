"""Reconditioning through the actions: stages, work items and costs, front line."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from forecourt.accounts.roles import Role
from forecourt.inventory.models import Status, VehicleCost
from forecourt.inventory.tests.factories import receive
from forecourt.purchasing import actions
from forecourt.purchasing.recon.models import ReconStage, WorkItemStatus
from forecourt.purchasing.recon.reads import board, recon_report

pytestmark = pytest.mark.django_db
D = Decimal
MON = date(2026, 11, 30)


@pytest.fixture
def manager(make_user, rooftop):
    return make_user(Role.SALES_MANAGER, rooftops=[rooftop])


def incoming(actor, rooftop):
    return receive(actor, rooftop, status="incoming", acquisition_cost=D("10000"))


def test_default_stages_and_the_board(manager, rooftop):
    vehicle = incoming(manager, rooftop)
    order = actions.start_recon(manager, vehicle, started_on=MON)
    vehicle.refresh_from_db()
    assert vehicle.status == Status.IN_RECONDITIONING
    columns = board(manager, rooftop)
    assert [c.stage.key for c in columns] == [
        "inspection",
        "mechanical",
        "body",
        "detail",
        "photos",
        "front_line",
    ]
    assert columns[0].orders == [order]
    with pytest.raises(ValidationError):
        actions.start_recon(manager, vehicle)


def test_a_car_through_recon_to_the_front_line_with_costs(manager, rooftop):
    vehicle = incoming(manager, rooftop)
    order = actions.start_recon(manager, vehicle, started_on=MON)
    actions.move_to_stage(manager, order, "mechanical", on=date(2026, 12, 1), notes="Brakes")
    small = actions.add_work_item(
        manager, order, description="Front pads", estimate="180", vendor="Shop"
    )
    big = actions.add_work_item(manager, order, description="Gearbox", estimate="1800")
    assert (small.status, big.status) == (WorkItemStatus.APPROVED, WorkItemStatus.AWAITING_APPROVAL)
    with pytest.raises(ValidationError) as error:
        actions.move_to_stage(manager, order, "front_line")
    assert error.value.message_dict == {"stage": ["2 work item(s) are not finished yet."]}
    actions.decide_work_item(manager, big, approve=False)
    actions.complete_work_item(manager, small, actual="210.00")
    actions.complete_work_item(manager, small, actual="210.00")  # a repeat posts nothing
    with pytest.raises(ValidationError):
        actions.complete_work_item(manager, small, actual="250.00")
    assert [c.amount for c in VehicleCost.objects.filter(vehicle=vehicle)] == [D("210.00")]
    actions.move_to_stage(manager, order, "detail", on=date(2026, 12, 4))
    order = actions.move_to_stage(manager, order, "front_line", on=date(2026, 12, 8))
    vehicle.refresh_from_db()
    assert vehicle.status == Status.AVAILABLE
    assert vehicle.true_cost == D("10210.00")
    assert order.front_line_on == date(2026, 12, 8)
    report = recon_report(manager, rooftop, since=MON, today=date(2026, 12, 20))
    [timing] = report.vehicles
    assert (timing.to_line.calendar, timing.to_line.business) == (8, 6)
    assert {k: (d.calendar, d.business) for k, d in timing.stages.items()} == {
        "inspection": (1, 1),
        "mechanical": (3, 3),
        "detail": (4, 2),
    }
    assert report.bottleneck == "mechanical"  # 3 business days; detail's 4 include a weekend
    assert (report.estimate, report.actual, report.over_estimate) == (
        D("180.00"),
        D("210.00"),
        D("30.00"),
    )
    with pytest.raises(ValidationError):
        actions.move_to_stage(manager, order, "detail")


def test_configured_stages_and_approval_limit(manager, rooftop):
    actions.configure_stage(manager, rooftop, key="valet", name="Valet", position=5)
    assert ReconStage.objects.filter(rooftop=rooftop).count() == 7
    with pytest.raises(ValidationError):
        actions.configure_stage(manager, rooftop, key="late", name="Late", position=99)
    actions.set_approval_limit(manager, rooftop, "2000")
    order = actions.start_recon(manager, incoming(manager, rooftop))
    assert (
        actions.add_work_item(manager, order, description="Gearbox", estimate="1800").status
        == "approved"
    )


def test_only_approvers_approve(manager, make_user, rooftop):
    technician = make_user(Role.TECHNICIAN, rooftops=[rooftop])
    order = actions.start_recon(manager, incoming(manager, rooftop))
    item = actions.add_work_item(technician, order, description="Respray", estimate="900")
    with pytest.raises(PermissionDenied):
        actions.decide_work_item(technician, item, approve=True)
    assert actions.decide_work_item(manager, item, approve=True).status == "approved"
