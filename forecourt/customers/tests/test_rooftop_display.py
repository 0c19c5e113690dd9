"""The customer page and compliance panel as a dealer reads them: times in the rooftop's
time zone, nothing offered that is not there (an empty Records card, a Reveal of no SSN)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from forecourt.accounts.roles import Role
from forecourt.core.models import AuditEntry
from forecourt.customers.models import Customer
from forecourt.customers.tests.factories import make_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def chicago(make_rooftop):
    return make_rooftop(name="Springfield", time_zone="America/Chicago")


def test_customer_page_and_compliance_panel_show_rooftop_times(client_for, make_user, chicago):
    seller = make_user(Role.SALESPERSON, rooftops=[chicago])
    customer = make_customer(seller, chicago, consent_call=True)
    customer.consent_history.update(recorded_at=datetime(2031, 3, 4, 16, 5, tzinfo=UTC))
    Customer.objects.filter(pk=customer.pk).update(
        ofac_screened_at=datetime(2031, 3, 4, 17, 15, tzinfo=UTC)
    )
    client = client_for(seller)
    page = client.get(f"/customers/{customer.pk}/").content.decode()
    assert "4 Mar 2031, 10:05" in page  # 16:05 UTC is 10:05 in Chicago
    assert "4 Mar 2031, 16:05" not in page
    panel = client.get(f"/customers/{customer.pk}/compliance/").content.decode()
    assert "4 Mar 2031, 11:15" in panel
    assert "4 Mar 2031, 17:15" not in panel


def test_records_card_only_when_there_is_something_in_it(client_for, make_user, rooftop):
    seller = make_user(Role.SALESPERSON, rooftops=[rooftop])
    customer = make_customer(seller, rooftop)
    assert (
        "<h2>Records</h2>"
        not in client_for(seller).get(f"/customers/{customer.pk}/").content.decode()
    )
    manager = make_user(Role.SALES_MANAGER, rooftops=[rooftop])
    page = client_for(manager).get(f"/customers/{customer.pk}/").content.decode()
    assert "<h2>Records</h2>" in page
    assert "Merge a duplicate" in page


def test_no_ssn_on_file_shows_a_dash_and_no_reveal(client_for, make_user, rooftop):
    fi = make_user(Role.FI_MANAGER, rooftops=[rooftop])
    customer = make_customer(fi, rooftop, date_of_birth="1980-02-03")
    page = client_for(fi).get(f"/customers/{customer.pk}/").content.decode()
    assert "***-**-****" not in page
    assert '<span id="reveal-ssn"><span class="blank"' in page
    assert '"field": "ssn"' not in page
    assert '"field": "date_of_birth"' in page  # a value on file keeps its Reveal button


def test_empty_audit_trail_says_so(client_for, owner, rooftop):
    # Created outside the actions (as an import of old records might be): no audit entries.
    customer = Customer.objects.create(rooftop=rooftop, first_name="Old", last_name="Record")
    assert not AuditEntry.objects.filter(object_id=str(customer.pk)).exists()
    page = client_for(owner).get(f"/customers/{customer.pk}/").content.decode()
    assert "No audited changes yet." in page


def test_revealed_income_is_money_in_the_rooftops_currency(client_for, make_user, other_rooftop):
    fi = make_user(Role.FI_MANAGER, rooftops=[other_rooftop])
    customer = make_customer(fi, other_rooftop, mobile_phone="+447400123456", income="85250.5")
    client = client_for(fi)
    shown = client.post(f"/customers/{customer.pk}/reveal/", {"field": "income"}).content.decode()
    assert ">£85,250.50</span>" in shown
    employer = client.post(f"/customers/{customer.pk}/reveal/", {"field": "employer"})
    assert ">(empty)</span>" in employer.content.decode()
    birth = client.post(f"/customers/{customer.pk}/reveal/", {"field": "date_of_birth"})
    assert ">(empty)</span>" in birth.content.decode()
    customer.date_of_birth = date(1980, 2, 3)
    customer.save(update_fields=["date_of_birth"])
    birth = client.post(f"/customers/{customer.pk}/reveal/", {"field": "date_of_birth"})
    assert ">1980-02-03</span>" in birth.content.decode()  # ISO, as every date in Forecourt
