"""The leads and activities API, and the website lead endpoint."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forecourt.accounts.roles import Role
from forecourt.core.models import AuditEntry
from forecourt.core.testing import bearer
from forecourt.customers.actions import record_consent
from forecourt.customers.models import Customer, CustomerConsent
from forecourt.inventory.tests.factories import receive
from forecourt.leads import actions
from forecourt.leads.models import Activity, Lead
from forecourt.leads.tests.factories import make_customer, make_lead

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, user, raw_token):
        self.user = user
        self.headers = bearer(raw_token)
        self.client = Client()

    def get(self, path, **params):
        return self.client.get(f"/api/v1{path}", params, **self.headers)

    def send(self, method, path, body=None, **extra):
        return getattr(self.client, method)(
            f"/api/v1{path}",
            json.dumps(body) if body is not None else None,
            content_type="application/json",
            **self.headers,
            **extra,
        )


@pytest.fixture
def api(salesperson, token_for):
    return Api(salesperson, token_for(salesperson))


@pytest.fixture
def customer(salesperson, rooftop):
    return make_customer(salesperson, rooftop, consent_call=True)


def test_list_filters_and_pages_with_a_cursor(api, rooftop, customer, other_rooftop, owner):
    mine = [make_lead(api.user, rooftop, customer) for _ in range(5)]
    make_lead(owner, other_rooftop, make_customer(owner, other_rooftop))  # not visible
    actions.change_lead_status(api.user, mine[0], to_status="contacted")
    seen, cursor = [], ""
    while True:
        response = api.get("/leads", limit=2, cursor=cursor, status="new")
        assert response.status_code == 200, response.content
        body = response.json()
        seen += [item["id"] for item in body["items"]]
        if not body["has_next"]:
            break
        cursor = body["next_cursor"]
    assert seen == sorted((lead.pk for lead in mine[1:]), reverse=True)
    contacted = api.get("/leads", status="contacted").json()["items"]
    assert [item["id"] for item in contacted] == [mine[0].pk]
    assert contacted[0]["customer_name"] == customer.display_name
    assert api.get("/leads", status="nope").status_code == 422
    assert api.get("/leads", cursor="garbage").status_code == 422


def test_list_and_detail_query_counts_are_pinned(api, rooftop, customer):
    vehicle = receive(api.user, rooftop)
    for _ in range(3):
        make_lead(api.user, rooftop, customer, vehicle=vehicle)
    counts = []
    for path in ("/leads", f"/leads/{Lead.objects.first().pk}", "/activities"):
        api.get(path)  # warm caches (permissions)
        with CaptureQueriesContext(connection) as queries:
            assert api.get(path).status_code == 200
        counts.append(len(queries))
    for _ in range(10):
        make_lead(api.user, rooftop, customer, vehicle=vehicle)
        actions.log_activity(api.user, customer, kind="note", body="more")
    for path, expected in zip(
        ("/leads", f"/leads/{Lead.objects.first().pk}", "/activities"), counts, strict=True
    ):
        with CaptureQueriesContext(connection) as queries:
            assert api.get(path).status_code == 200
        assert len(queries) == expected, [q["sql"] for q in queries.captured_queries]
    assert counts[0] <= 6
    assert counts[1] <= 6


def test_create_is_idempotent_and_update_uses_if_match(api, customer):
    body = {"customer_id": customer.pk, "source": "phone", "vehicle_description": "SUV"}
    first = api.send("post", "/leads", body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201, first.content
    again = api.send("post", "/leads", body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Lead.objects.count() == 1
    lead_id = first.json()["id"]
    assert first.json()["owner_id"] == api.user.pk
    ok = api.send("patch", f"/leads/{lead_id}", {"notes": "Call Sat"}, HTTP_IF_MATCH='"1"')
    assert ok.status_code == 200
    assert ok["ETag"] == '"2"'
    stale = api.send("patch", f"/leads/{lead_id}", {"notes": "x"}, HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    conflict = api.send("patch", f"/leads/{lead_id}", {"notes": "x", "version": 1})
    assert conflict.status_code == 409
    assert api.send("patch", f"/leads/{lead_id}", {"notes": "x"}).status_code == 422
    unknown = api.send("post", "/leads", {**body, "status": "won"})
    assert unknown.status_code == 422


def test_status_transition_and_errors(api, customer, rooftop):
    lead = make_lead(api.user, rooftop, customer)
    bad = api.send("post", f"/leads/{lead.pk}/status", {"status": "won", "version": 1})
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"][0]["field"] == "status"
    lost = api.send("post", f"/leads/{lead.pk}/status", {"status": "lost", "version": 1})
    assert [f["field"] for f in lost.json()["error"]["fields"]] == ["lost_reason"]
    ok = api.send(
        "post", f"/leads/{lead.pk}/status",
        {"status": "lost", "lost_reason": "price", "version": 1},
    )  # fmt: skip
    assert ok.status_code == 200
    assert ok.json()["status"] == "lost"


def test_bulk_reassign_needs_the_manager_permission(api, make_user, token_for, rooftop, customer):
    leads = [make_lead(api.user, rooftop, customer) for _ in range(2)]
    colleague = make_user(Role.SALESPERSON, rooftops=[rooftop])
    body = {"lead_ids": [lead.pk for lead in leads], "owner_id": colleague.pk}
    assert api.send("post", "/leads/reassign", body).status_code == 403
    manager = make_user(Role.SALES_MANAGER, rooftops=[rooftop])
    boss = Api(manager, token_for(manager))
    response = boss.send("post", "/leads/reassign", body)
    assert response.status_code == 200
    assert sorted(response.json()["changed"]) == sorted(lead.pk for lead in leads)


def test_activities_create_list_and_finish_with_masked_licence(api, customer, rooftop):
    vehicle = receive(api.user, rooftop)
    call = api.send(
        "post", "/activities",
        {"customer_id": customer.pk, "kind": "call", "direction": "outbound", "body": "Hi"},
    )  # fmt: skip
    assert call.status_code == 201, call.content
    sms = api.send(
        "post", "/activities", {"customer_id": customer.pk, "kind": "sms", "direction": "outbound"}
    )
    assert sms.status_code == 422  # no SMS consent
    drive = api.send(
        "post", "/activities",
        {"customer_id": customer.pk, "kind": "test_drive", "vehicle_id": vehicle.pk,
         "drivers_license_number": "D12345678", "drivers_license_state": "IL",
         "odometer_out": 42000},
    )  # fmt: skip
    assert drive.status_code == 201, drive.content
    assert drive.json()["drivers_license_number"] == "*****5678"
    again = api.send(
        "post", "/activities",
        {"customer_id": customer.pk, "kind": "test_drive", "vehicle_id": vehicle.pk,
         "drivers_license_number": "X9999999", "drivers_license_state": "IL",
         "odometer_out": 42000},
    )  # fmt: skip
    assert again.status_code == 422
    assert "already out" in again.json()["error"]["fields"][0]["message"]
    listed = api.get("/activities", customer=customer.pk, kind="test_drive").json()["items"]
    assert [a["drivers_license_number"] for a in listed] == ["*****5678"]
    assert "D12345678" not in api.get(f"/activities/{listed[0]['id']}").content.decode()
    finish = api.send("post", f"/activities/{listed[0]['id']}/finish", {"odometer_in": 41000})
    assert finish.status_code == 422
    finish = api.send("post", f"/activities/{listed[0]['id']}/finish", {"odometer_in": 42010})
    assert finish.status_code == 200
    assert finish.json()["odometer_in"] == 42010


def test_appointment_double_booking_is_a_422(api, customer):
    start = timezone.now().replace(microsecond=0) + timedelta(days=1)
    body = {
        "customer_id": customer.pk,
        "kind": "appointment",
        "salesperson_id": api.user.pk,
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=1)).isoformat(),
    }
    assert api.send("post", "/activities", body).status_code == 201
    clash = api.send("post", "/activities", body)
    assert clash.status_code == 422
    assert clash.json()["error"]["fields"][0]["field"] == "starts_at"


def test_other_rooftops_leads_are_not_found(api, owner, other_rooftop):
    theirs = make_lead(owner, other_rooftop, make_customer(owner, other_rooftop))
    assert api.get(f"/leads/{theirs.pk}").status_code == 404
    assert (
        api.send(
            "post", f"/leads/{theirs.pk}/status", {"status": "contacted", "version": 1}
        ).status_code
        == 404
    )


# --- website leads -------------------------------------------------------------------


@pytest.fixture
def web(make_user, rooftop, token_for):
    website = make_user(Role.SALESPERSON, rooftops=[rooftop], email="website@example.com")
    return Api(website, token_for(website, ("leads:create",)))


def _form(rooftop, **fields):
    return {
        "rooftop_id": rooftop.pk,
        "first_name": "Ana",
        "last_name": "Web",
        "email": "Ana.Web@Example.com",
        "phone": "(415) 555-0199",
        "message": "Is the CR-V available?",
        "consent_email": True,
        **fields,
    }


def test_web_lead_creates_customer_and_unassigned_lead(web, rooftop):
    vehicle = receive(web.user, rooftop)
    response = web.send(
        "post", "/leads/web", _form(rooftop, stock_number=vehicle.stock_number),
        HTTP_IDEMPOTENCY_KEY="form-1",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    lead = Lead.objects.get(pk=response.json()["lead_id"])
    assert (lead.source, lead.owner, lead.vehicle) == ("website", None, vehicle)
    assert lead.customer.email == "ana.web@example.com"
    assert lead.customer.consent_email
    assert not lead.customer.consent_sms
    consent = CustomerConsent.objects.get(customer=lead.customer, granted=True)
    assert (consent.channel, consent.source) == ("email", "web_form")
    replay = web.send(
        "post",
        "/leads/web",
        _form(rooftop, stock_number=vehicle.stock_number),
        HTTP_IDEMPOTENCY_KEY="form-1",
    )
    assert replay.json() == response.json()
    assert Lead.objects.count() == 1
    # A second form from the same person reuses the customer.
    second = web.send("post", "/leads/web", _form(rooftop, email="ana.web@example.com"))
    assert Lead.objects.get(pk=second.json()["lead_id"]).customer_id == lead.customer_id
    assert Customer.objects.count() == 1


def test_web_form_consent_is_the_customers_own_and_regrants(web, rooftop, salesperson):
    existing = make_customer(salesperson, rooftop, email="ana.web@example.com")
    record_consent(salesperson, existing, "email", False, "phone")
    response = web.send("post", "/leads/web", _form(rooftop))
    assert response.status_code == 201
    existing.refresh_from_db()
    assert existing.consent_email is True  # they ticked the box themselves today


def test_web_lead_needs_the_scope(rooftop, salesperson, token_for):
    plain = Api(salesperson, token_for(salesperson, ("read", "write")))
    response = plain.send("post", "/leads/web", _form(rooftop))
    assert response.status_code == 403
    assert "leads:create" in response.json()["error"]["message"]
    assert (
        Client()
        .post("/api/v1/leads/web", _form(rooftop), content_type="application/json")
        .status_code
        == 401
    )


def test_web_lead_token_can_do_nothing_else(web):
    assert web.get("/leads").status_code == 403


def test_web_lead_validation_and_honeypot(web, rooftop):
    nothing = web.send("post", "/leads/web", _form(rooftop, email="", phone=""))
    assert nothing.status_code == 422
    assert nothing.json()["error"]["fields"][0]["field"] == "email"
    bad = web.send("post", "/leads/web", _form(rooftop, email="not-an-email", phone="12"))
    assert {f["field"] for f in bad.json()["error"]["fields"]} == {"email", "phone"}
    spammy = web.send(
        "post", "/leads/web", _form(rooftop, message="http://a http://b http://c cheap")
    )
    assert spammy.status_code == 422
    empty = web.send("post", "/leads/web", _form(rooftop, message=""))
    assert empty.status_code == 422
    long = web.send("post", "/leads/web", _form(rooftop, message="x" * 2001))
    assert long.status_code == 422
    extra = web.send("post", "/leads/web", {**_form(rooftop), "is_admin": True})
    assert extra.status_code == 422
    bot = web.send("post", "/leads/web", _form(rooftop, website="http://spam.example"))
    assert bot.status_code == 201
    assert bot.json() == {"accepted": True, "lead_id": None}
    assert Lead.objects.count() == 0
    assert Customer.objects.count() == 0


def test_web_lead_is_rate_limited_per_token(web, rooftop, settings):
    from forecourt.core.config import Rate

    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMIT_REDIS_URL = None
    settings.RATE_LIMIT_KEY_PREFIX = f"test-leads-{timezone.now().timestamp()}"
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": [Rate(limit=2, seconds=60)]}
    statuses = [
        web.send("post", "/leads/web", _form(rooftop, email=f"a{n}@example.com")).status_code
        for n in range(3)
    ]
    assert statuses == [201, 201, 429]


def test_web_lead_audits_the_lead(web, rooftop):
    response = web.send("post", "/leads/web", _form(rooftop))
    lead_id = response.json()["lead_id"]
    entry = AuditEntry.objects.get(action="leads.create_lead", object_id=str(lead_id))
    assert entry.actor == web.user
    assert Activity.objects.count() == 0


def test_revealing_a_licence_needs_the_permission_and_is_audited(
    api, make_user, token_for, rooftop, customer
):
    vehicle = receive(api.user, rooftop)
    drive = actions.start_test_drive(
        api.user, customer, vehicle=vehicle, drivers_license_number="D12345678",
        drivers_license_state="IL", odometer_out=1,
    )  # fmt: skip
    assert api.send("post", f"/activities/{drive.pk}/reveal-licence").status_code == 403
    manager = make_user(Role.SALES_MANAGER, rooftops=[rooftop])
    revealed = Api(manager, token_for(manager)).send(
        "post", f"/activities/{drive.pk}/reveal-licence"
    )
    assert revealed.status_code == 200
    assert revealed.json()["drivers_license_number"] == "D12345678"
    entry = AuditEntry.objects.get(action="reveal_field", object_id=str(drive.pk))
    assert entry.actor == manager
    assert "D12345678" not in str(entry.changes)


def test_the_token_screens_offer_the_web_lead_scope(client_for, owner, salesperson, token_for):
    from django.urls import reverse

    form = client_for(owner).get(reverse("accounts:token-create")).content.decode()
    assert 'value="leads:create"' in form
    created = Client().post(
        "/api/v1/tokens",
        {"user_id": salesperson.pk, "name": "Website form", "scopes": ["leads:create"]},
        content_type="application/json",
        **bearer(token_for(owner, scopes=("tokens:create", "leads:create"))),
    )
    assert created.status_code == 201, created.content
    assert created.json()["scopes"] == ["leads:create"]
