"""Demo leads: a pipeline, an appointment and a test drive per rooftop, added once."""

import pytest

from forecourt.accounts.roles import Role
from forecourt.inventory.tests.factories import receive
from forecourt.leads.demo import seed_leads
from forecourt.leads.models import Activity, Lead

pytestmark = pytest.mark.django_db


def test_seed_leads_once_per_rooftop(make_user, rooftop):
    owner = make_user(Role.OWNER, rooftops=[rooftop])
    make_user(Role.SALESPERSON, rooftops=[rooftop])
    receive(owner, rooftop)
    assert seed_leads([rooftop]) == 5
    assert sorted(Lead.objects.values_list("status", flat=True)) == sorted(
        ["new", "contacted", "appointment", "shown", "quoted"]
    )
    assert Activity.objects.filter(kind="appointment").count() == 1
    assert Activity.objects.filter(kind="test_drive", in_at__isnull=True).count() == 1
    assert seed_leads([rooftop]) == 0
