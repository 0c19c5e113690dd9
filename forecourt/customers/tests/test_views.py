"""Customer screens: the htmx list with filters and pages, walk-in create with duplicates,
edit with inline errors and kept identifiers, consent and merge forms, the menu."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from forecourt.accounts.roles import Role
from forecourt.core.models import AuditEntry
from forecourt.customers.models import Customer
from forecourt.customers.tests.factories import make_customer

pytestmark = pytest.mark.django_db


def test_list_search_filters_and_htmx_partial(client_for, salesperson, rooftop):
    make_customer(salesperson, rooftop, first_name="Ana", last_name="Diaz", tags=["vip"])
    make_customer(salesperson, rooftop, first_name="Bob", last_name="Stone")
    client = client_for(salesperson)
    page = client.get("/customers/", {"q": "dia"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "Ana Diaz" in body
    assert "Bob Stone" not in body
    assert "<html" in body
    partial = client.get(
        "/customers/", {"tag": "vip"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
    )
    text = partial.content.decode()
    assert "<html" not in text
    assert "Ana Diaz" in text
    assert "Bob Stone" not in text
    bad = client.get("/customers/", {"language": "fr"}).content.decode()
    assert "Language: one of" in bad


def test_list_pages_with_a_bookmarkable_cursor(client_for, salesperson, rooftop):
    for i in range(27):
        make_customer(salesperson, rooftop, last_name=f"Page{i:02d}")
    client = client_for(salesperson)
    first = client.get("/customers/", {"tag": ""}).content.decode()
    assert "Page00" in first
    assert "Page25" not in first
    next_url = (
        first.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    )
    assert next_url.startswith("/customers/?cursor=")
    second = client.get(next_url).content.decode()
    assert "Page25" in second
    assert "Page26" in second
    assert "Next page" not in second


def test_customers_are_in_the_menu_only_for_those_who_may_see_them(
    client_for, salesperson, make_user
):
    assert b'href="/customers/"' in client_for(salesperson).get("/").content
    nobody = make_user(role=None)
    assert b'href="/customers/"' not in client_for(nobody).get("/").content
    assert client_for(nobody).get("/customers/").status_code == 403


def test_walk_in_create_shows_inline_errors_then_saves(client_for, salesperson, rooftop):
    client = client_for(salesperson)
    form = client.get("/customers/new/")
    assert form.status_code == 200
    response = client.post(
        "/customers/new/",
        {"rooftop": rooftop.pk, "kind": "person", "first_name": "Ana", "mobile_phone": "12",
         "preferred_language": "en", "consent_source": "in_person"},
    )  # fmt: skip
    assert response.status_code == 422
    html = response.content.decode()
    assert "Enter the last name." in html
    assert "is not a phone number" in html or "not a valid phone number" in html
    response = client.post(
        "/customers/new/",
        {"rooftop": rooftop.pk, "kind": "person", "first_name": "Ana", "last_name": "Diaz",
         "mobile_phone": "(415) 555-2671", "preferred_language": "es", "consent_sms": "on",
         "consent_source": "in_person", "assigned_salesperson": salesperson.pk},
    )  # fmt: skip
    customer = Customer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/customers/{customer.pk}/"
    assert customer.mobile_phone == "+14155552671"
    assert customer.consent_sms is True
    assert customer.assigned_salesperson == salesperson


def test_create_shows_duplicates_and_can_create_anyway(client_for, salesperson, rooftop):
    existing = make_customer(salesperson, rooftop, email="ana@example.com")
    client = client_for(salesperson)
    data = {"rooftop": rooftop.pk, "kind": "person", "first_name": "Ana", "last_name": "D",
            "email": "ANA@example.com", "preferred_language": "en",
            "consent_source": "in_person"}  # fmt: skip
    response = client.post("/customers/new/", data)
    html = response.content.decode()
    assert response.status_code == 422
    assert f'href="/customers/{existing.pk}/"' in html
    assert "Create anyway" in html
    response = client.post("/customers/new/", {**data, "allow_duplicate": "1"})
    assert response.status_code == 302
    assert Customer.objects.count() == 2


def test_edit_keeps_identifiers_left_empty_and_reports_conflicts(client_for, salesperson, rooftop):
    customer = make_customer(salesperson, rooftop, ssn="123-45-6789", first_name="Ana")
    client = client_for(salesperson)
    data = {"kind": "person", "first_name": "Anna", "last_name": customer.last_name,
            "mobile_phone": customer.mobile_phone, "email": customer.email,
            "preferred_language": "en", "version": 1, "ssn": ""}  # fmt: skip
    response = client.post(f"/customers/{customer.pk}/edit/", data)
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.first_name == "Anna"
    assert customer.ssn == "123-45-6789"
    stale = client.post(f"/customers/{customer.pk}/edit/", {**data, "first_name": "Ann"})
    assert stale.status_code == 422
    assert "changed by someone else" in stale.content.decode()
    assert 'name="version" value="1"' in stale.content.decode()  # still stale: reload first
    bad = client.post(f"/customers/{customer.pk}/edit/", {**data, "version": 2, "email": "nope"})
    assert bad.status_code == 422
    assert "not a valid email" in bad.content.decode()


def test_consent_form_records_an_opt_out(client_for, salesperson, rooftop):
    customer = make_customer(salesperson, rooftop, consent_email=True)
    client = client_for(salesperson)
    response = client.post(
        f"/customers/{customer.pk}/consent/",
        {"channel": "email", "granted": "false", "source": "email", "note": "unsubscribed"},
    )
    assert response.status_code == 302
    assert Customer.objects.get(pk=customer.pk).consent_email is False
    page = client.get(f"/customers/{customer.pk}/").content.decode()
    assert "withdrawn" in page
    assert "unsubscribed" in page


def test_merge_form_picks_the_survivor(client_for, make_user, rooftop):
    manager = make_user(Role.SALES_MANAGER)
    this = make_customer(manager, rooftop)
    other = make_customer(manager, rooftop)
    client = client_for(manager)
    response = client.post(f"/customers/{this.pk}/merge/", {"other": other.pk, "survivor": "other"})
    assert response.status_code == 302
    assert response["Location"] == f"/customers/{other.pk}/"
    assert Customer.objects.get(pk=this.pk).merged_into_id == other.pk
    page = client.get(f"/customers/{this.pk}/").content.decode()
    assert "was merged" in page
    missing = client.post(f"/customers/{other.pk}/merge/", {"other": 999999, "survivor": "this"})
    assert missing.status_code == 422
    assert "No such customer" in missing.content.decode()


def test_the_detail_page_loads_the_timeline_and_compliance_panels(
    client_for, salesperson, rooftop, make_user
):
    customer = make_customer(salesperson, rooftop)
    html = client_for(salesperson).get(f"/customers/{customer.pk}/").content.decode()
    assert f'hx-get="/leads/customers/{customer.pk}/timeline/"' in html
    assert f'hx-get="/customers/{customer.pk}/compliance/"' in html
    # Someone who may not see activities gets no panel that would only fail to load.
    technician = make_user(Role.TECHNICIAN)
    technician.user_permissions.add(*Permission.objects.filter(codename="view_customer"))
    html = client_for(technician).get(f"/customers/{customer.pk}/").content.decode()
    assert "/timeline/" not in html
    assert f'hx-get="/customers/{customer.pk}/compliance/"' in html


def test_salesperson_cannot_merge_or_export(client_for, salesperson, rooftop):
    one = make_customer(salesperson, rooftop)
    two = make_customer(salesperson, rooftop)
    client = client_for(salesperson)
    html = client.get(f"/customers/{one.pk}/").content.decode()
    assert "Merge a duplicate" not in html
    assert "Export JSON" not in html
    assert client.post(f"/customers/{one.pk}/merge/", {"other": two.pk}).status_code == 403
    assert not AuditEntry.objects.filter(action="customers.merge_customer").exists()
