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


def test_demo_histories_match_the_consents(make_user, rooftop):
    """A lead past "new" means someone was contacted: its customer agreed to calls. Existing
    customers without call consent are not used for it."""
    from forecourt.customers.consent import may_contact
    from forecourt.leads.tests.factories import make_customer

    owner = make_user(Role.OWNER, rooftops=[rooftop])
    make_user(Role.SALESPERSON, rooftops=[rooftop])
    receive(owner, rooftop)
    for _ in range(6):
        make_customer(owner, rooftop, consent_call=False, consent_sms=False, consent_email=False)
    seed_leads([rooftop])
    for lead in Lead.objects.exclude(status="new").select_related("customer"):
        assert may_contact(lead.customer, "call"), (lead.status, lead.customer)
    note = Activity.objects.get(kind="note")
    if "texts" in note.body:
        assert may_contact(note.customer, "sms")
