"""The access-request export: everything held, JSON and PDF, related records of other apps
found generically, audited; POST only."""

from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfReader

from forecourt.accounts.roles import Role
from forecourt.core.models import AuditEntry
from forecourt.customers import actions
from forecourt.customers.models import OfacList, OfacScreening
from forecourt.customers.tests.factories import make_customer
from forecourt.leads.models import Activity, Lead

pytestmark = pytest.mark.django_db


@pytest.fixture
def fi_manager(make_user):
    return make_user(Role.FI_MANAGER)


@pytest.fixture
def customer(owner, rooftop):
    customer = make_customer(
        owner, rooftop, first_name="José", last_name="Núñez", ssn="123-45-6789", consent_sms=True
    )
    actions.record_consent(owner, customer, "sms", False, "phone", "STOP")
    sdn = OfacList.objects.create(version="2026-11-20", source_name="sdn.csv", sha256="0" * 64)
    OfacScreening.objects.create(
        customer=customer, sdn_list=sdn, screened_name="Jose Nunez", result="clear"
    )
    lead = Lead.objects.create(rooftop=rooftop, customer=customer, source="walk_in")
    Activity.objects.create(
        rooftop=rooftop,
        customer=customer,
        lead=lead,
        kind="test_drive",
        drivers_license_number="D7654321",
    )
    return customer


def test_json_export_holds_everything_and_is_audited(fi_manager, client_for, customer):
    response = client_for(fi_manager).post(f"/customers/{customer.pk}/export/json/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["customer"]["first_name"] == "José"
    assert data["customer"]["ssn"] == "123-45-6789"  # F&I may reveal: each read audited
    assert not any(key.endswith("_index") for key in data["customer"])
    assert [c["granted"] for c in data["consent_history"]] == [True, False]
    assert data["ofac_screenings"][0]["sdn_list_id"] is not None
    assert len(data["related_records"]["leads.lead.customer"]) == 1
    activity = data["related_records"]["leads.activity.customer"][0]
    assert activity["drivers_license_number"] == "****4321"  # leads.reveal_activity: not F&I
    assert {e["action"] for e in data["audit_trail"]} >= {"customers.create_customer"}
    entry = AuditEntry.objects.get(action="customers.export_customer")
    assert entry.actor == fi_manager
    assert "123-45-6789" not in str(entry.changes)


def test_pdf_export_has_the_same_content(fi_manager, client_for, customer):
    response = client_for(fi_manager).post(f"/customers/{customer.pk}/export/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Núñez" in text
    assert "Consent history (2)" in text
    assert "leads.activity.customer" in text
    assert AuditEntry.objects.filter(action="customers.export_customer").count() == 1


def test_export_needs_the_permission_and_post(make_user, client_for, customer, rooftop):
    salesperson = client_for(make_user(Role.SALESPERSON))
    assert salesperson.post(f"/customers/{customer.pk}/export/json/").status_code == 403
    manager = client_for(make_user(Role.SALES_MANAGER))
    assert manager.get(f"/customers/{customer.pk}/export/json/").status_code == 302  # to its page
    assert not AuditEntry.objects.filter(action="customers.export_customer").exists()
