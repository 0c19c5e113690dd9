"""Compliance pages and API: the customer's panel (htmx), screening, clearing, legal holds,
the retention report with its audited CSV, and disposal in sudo mode."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from forecourt.accounts.roles import Role
from forecourt.core.models import AuditEntry
from forecourt.core.security.sessions import RECENT_AUTH_AT
from forecourt.core.testing import bearer
from forecourt.customers.compliance import actions, retention
from forecourt.customers.models import Customer, OfacScreening, OfacStatus
from forecourt.customers.tests.compliance_factories import idle_customer, make_customer
from forecourt.customers.tests.test_ofac import ALIASES, SDN

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
DAYS = 730


@pytest.fixture(autouse=True)
def _retention_period(monkeypatch):
    monkeypatch.setattr(retention, "retention_days", lambda: DAYS)


@pytest.fixture
def sdn_list(db):
    return actions.import_sdn_list(None, SDN, aliases_path=ALIASES, version="2026-11").sdn_list


@pytest.fixture
def manager(make_user):
    return make_user(Role.SALES_MANAGER)


@pytest.fixture
def listed(rooftop):
    return make_customer(rooftop, first_name="Ivan", last_name="Petrov")


def _url(name, pk):
    return f"/customers/{pk}/compliance/{name}"


# --- the panel and screening ----------------------------------------------------------------


def test_the_panel_shows_the_status_and_a_screen_button_to_those_who_may(
    sdn_list, listed, salesperson, make_user, client_for
):
    page = client_for(salesperson).get(_url("", listed.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Not screened" in html
    assert "Screen now" in html
    read_only = client_for(make_user(Role.READ_ONLY)).get(_url("", listed.pk))
    assert read_only.status_code == 200
    assert "Screen now" not in read_only.content.decode()


def test_the_panel_is_a_partial_for_htmx(sdn_list, listed, salesperson, client_for):
    html = client_for(salesperson).get(_url("", listed.pk), **HTMX).content.decode()
    assert html.lstrip().startswith('<section id="compliance"')
    assert "<html" not in html


def test_screen_now_with_htmx_answers_the_updated_panel(sdn_list, listed, salesperson, client_for):
    response = client_for(salesperson).post(_url("ofac/screen/", listed.pk), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Possible match (delivery blocked)" in html
    assert "#1006 PETROV, Ivan Sergeyevich" in html
    assert "blocks delivery" in html
    assert Customer.objects.get(pk=listed.pk).ofac_status == OfacStatus.POSSIBLE_MATCH


def test_screen_now_without_htmx_redirects_to_the_panel(sdn_list, listed, salesperson, client_for):
    response = client_for(salesperson).post(_url("ofac/screen/", listed.pk))
    assert response.status_code == 302
    assert response["Location"] == _url("", listed.pk)
    assert OfacScreening.objects.filter(customer=listed).count() == 1


def test_screening_without_a_list_says_so_in_the_panel(listed, salesperson, client_for):
    response = client_for(salesperson).post(_url("ofac/screen/", listed.pk), **HTMX)
    assert "No OFAC list has been imported" in response.content.decode()
    assert not OfacScreening.objects.exists()


def test_screening_is_refused_to_read_only_users(sdn_list, listed, make_user, client_for):
    response = client_for(make_user(Role.READ_ONLY)).post(_url("ofac/screen/", listed.pk))
    assert response.status_code == 403


def test_a_manager_clears_a_match_with_a_reason_shown_inline_when_missing(
    sdn_list, listed, salesperson, manager, client_for
):
    actions.screen_customer(salesperson, listed)
    client = client_for(manager)
    missing = client.post(_url("ofac/clear/", listed.pk), {"clear-reason": ""})
    assert missing.status_code == 422
    assert "This field is required." in missing.content.decode()
    done = client.post(
        _url("ofac/clear/", listed.pk), {"clear-reason": "Born 1990; the SDN entry 1960."}
    )
    assert done.status_code == 302
    assert Customer.objects.get(pk=listed.pk).ofac_status == OfacStatus.CLEARED
    assert (
        client_for(salesperson)
        .post(_url("ofac/clear/", listed.pk), {"clear-reason": "I think it is fine."})
        .status_code
        == 403
    )


def test_legal_hold_set_and_lift_from_the_panel(listed, manager, client_for):
    client = client_for(manager)
    held = client.post(_url("legal-hold/", listed.pk), {"hold-reason": "Subpoena 24-118."}, **HTMX)
    assert "Lift legal hold" in held.content.decode()
    assert Customer.objects.get(pk=listed.pk).legal_hold
    client.post(_url("legal-hold/lift/", listed.pk), {"hold-reason": "Subpoena withdrawn."})
    assert not Customer.objects.get(pk=listed.pk).legal_hold


def test_another_rooftops_customer_is_not_found(listed, make_user, other_rooftop, client_for):
    outsider = client_for(make_user(Role.SALES_MANAGER, rooftops=[other_rooftop]))
    assert outsider.get(_url("", listed.pk)).status_code == 404
    assert (
        outsider.post(_url("legal-hold/", listed.pk), {"hold-reason": "x" * 10}).status_code == 404
    )


# --- retention report, export and disposal --------------------------------------------------


def test_the_report_page_lists_customers_due_and_is_for_managers(
    rooftop, manager, salesperson, client_for
):
    due = idle_customer(rooftop, DAYS + 1, first_name="Grace", last_name="Hopper")
    idle_customer(rooftop, 10)
    page = client_for(manager).get("/customers/retention/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Grace Hopper" in html
    assert f"/customers/{due.pk}/compliance/dispose/" in html
    assert client_for(salesperson).get("/customers/retention/").status_code == 403


def test_the_csv_export_is_a_post_and_audited(rooftop, manager, client_for):
    idle_customer(rooftop, DAYS + 1, first_name="Grace", last_name="Hopper")
    client = client_for(manager)
    assert client.get("/customers/retention/export.csv").status_code == 302  # to its page
    response = client.post("/customers/retention/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "Grace Hopper" in response.content.decode()
    entry = AuditEntry.objects.get(action="customers.export_retention_report")
    assert entry.changes == {"rows": [None, 1]}


def test_dispose_needs_confirmation_and_says_it_cannot_be_undone(rooftop, manager, client_for):
    customer = idle_customer(rooftop, DAYS + 1, first_name="Grace", ssn="123-45-6789")
    client = client_for(manager)
    confirm = client.get(_url("dispose/", customer.pk))
    assert confirm.status_code == 200
    assert "cannot be undone" in confirm.content.decode()
    unconfirmed = client.post(_url("dispose/", customer.pk), {"reason": "Retention ended."})
    assert unconfirmed.status_code == 422
    assert Customer.objects.get(pk=customer.pk).anonymized_at is None
    done = client.post(
        _url("dispose/", customer.pk), {"reason": "Retention ended.", "confirm": "on"}
    )
    assert done.status_code == 302
    stored = Customer.objects.get(pk=customer.pk)
    assert stored.anonymized_at is not None
    assert stored.ssn == ""


def test_dispose_needs_a_recent_reauthentication(rooftop, manager, client_for):
    customer = idle_customer(rooftop, DAYS + 1)
    client = client_for(manager)
    session = client.session
    del session[RECENT_AUTH_AT]
    session.save()
    response = client.post(
        _url("dispose/", customer.pk), {"reason": "Retention ended.", "confirm": "on"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/security/reauth/")
    assert Customer.objects.get(pk=customer.pk).anonymized_at is None


def test_dispose_shows_what_keeps_a_customer(rooftop, manager, client_for):
    held = idle_customer(rooftop, DAYS + 1, legal_hold=True, legal_hold_reason="Subpoena")
    client = client_for(manager)
    assert (
        "A legal hold keeps this customer."
        in client.get(_url("dispose/", held.pk)).content.decode()
    )
    refused = client.post(
        _url("dispose/", held.pk), {"reason": "Retention ended.", "confirm": "on"}
    )
    assert refused.status_code == 422
    assert Customer.objects.get(pk=held.pk).anonymized_at is None


# --- API ----------------------------------------------------------------------------------


def _api(user, token_for):
    headers = bearer(token_for(user))
    client = Client()

    def call(method, path, body=None, **extra):
        return getattr(client, method)(
            f"/api/v1{path}",
            json.dumps(body) if body is not None else None,
            content_type="application/json",
            **headers,
            **extra,
        )

    return call


def test_api_screens_idempotently_and_reports_the_state(sdn_list, listed, salesperson, token_for):
    api = _api(salesperson, token_for)
    first = api("post", f"/customers/{listed.pk}/ofac", HTTP_IDEMPOTENCY_KEY="screen-1")
    assert first.status_code == 201
    body = first.json()
    assert body["result"] == "possible_match"
    assert body["list_version"] == "2026-11"
    assert body["matches"][0]["ent_num"] == 1006
    again = api("post", f"/customers/{listed.pk}/ofac", HTTP_IDEMPOTENCY_KEY="screen-1")
    assert again.json() == body
    assert OfacScreening.objects.filter(customer=listed).count() == 1
    state = api("get", f"/customers/{listed.pk}/ofac")
    assert state.status_code == 200
    assert state["ETag"] == Customer.objects.get(pk=listed.pk).etag
    data = state.json()
    assert (data["status"], data["delivery_blocked"]) == ("possible_match", True)
    assert len(data["screenings"]) == 1


def test_api_screening_without_a_list_is_422(listed, salesperson, token_for):
    response = _api(salesperson, token_for)("post", f"/customers/{listed.pk}/ofac")
    assert response.status_code == 422
    assert "No OFAC list" in response.json()["error"]["fields"][0]["message"]


def test_api_clearance_is_for_managers_and_checks_if_match(
    sdn_list, listed, salesperson, manager, token_for
):
    actions.screen_customer(salesperson, listed)
    path = f"/customers/{listed.pk}/ofac/clearance"
    reason = {"reason": "Different date of birth."}
    assert _api(salesperson, token_for)("post", path, reason).status_code == 403
    api = _api(manager, token_for)
    assert api("post", path, reason, HTTP_IF_MATCH='"1"').status_code == 412
    version = Customer.objects.get(pk=listed.pk).version
    cleared = api("post", path, reason, HTTP_IF_MATCH=f'"{version}"')
    assert cleared.status_code == 200
    assert (cleared.json()["status"], cleared.json()["delivery_blocked"]) == ("cleared", False)
    assert cleared["ETag"] == f'"{version + 1}"'
    assert api("post", path, {"reason": "x", "extra": 1}).status_code == 422  # strict input


def test_api_legal_hold(listed, manager, make_user, other_rooftop, token_for):
    path = f"/customers/{listed.pk}/legal-hold"
    api = _api(manager, token_for)
    held = api("post", path, {"hold": True, "reason": "Litigation hold 24-118."})
    assert held.status_code == 200
    assert held.json()["legal_hold"] is True
    short = api("post", path, {"hold": False, "reason": ""})
    assert short.status_code == 422
    assert short.json()["error"]["fields"][0]["field"] == "reason"
    lifted = api("post", path, {"hold": False, "reason": "Case closed."})
    assert lifted.json()["legal_hold"] is False
    outsider = _api(make_user(Role.SALES_MANAGER, rooftops=[other_rooftop]), token_for)
    assert outsider("post", path, {"hold": True, "reason": "Not mine."}).status_code == 404
