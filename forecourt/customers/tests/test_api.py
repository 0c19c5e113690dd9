"""/api/v1/customers: search, detail, create (idempotent, duplicates), update (If-Match),
consents, merge; error shape and query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forecourt.accounts.roles import Role
from forecourt.core.models import AuditEntry
from forecourt.customers.models import Customer
from forecourt.customers.tests.factories import ApiClient, make_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(salesperson, token_for):
    return ApiClient(salesperson, token_for(salesperson))


@pytest.fixture
def manager_api(make_user, token_for):
    manager = make_user(Role.SALES_MANAGER)
    return ApiClient(manager, token_for(manager))


def test_create_normalises_and_answers_201_with_etag(api, rooftop):
    response = api.send(
        "post",
        "/customers",
        {
            "rooftop_id": rooftop.pk,
            "first_name": "Ana",
            "last_name": "Diaz",
            "mobile_phone": "(415) 555-2671",
            "email": "Ana@Example.com",
            "consent_sms": True,
            "ssn": "123-45-6789",
            "tags": ["VIP"],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["mobile_phone"] == "+14155552671"
    assert body["email"] == "ana@example.com"
    assert body["tags"] == ["vip"]
    assert body["sensitive"]["ssn"] == "***-**-6789"
    assert body["consent_history"][0]["source"] == "api"
    assert response["ETag"] == '"1"'
    assert response["Location"] == f"/api/v1/customers/{body['id']}"
    assert "123-45-6789" not in response.content.decode()


def test_create_is_idempotent_with_a_key(api, rooftop):
    payload = {"rooftop_id": rooftop.pk, "first_name": "Bo", "last_name": "Li", "email": "b@l.co"}
    first = api.send("post", "/customers", payload, HTTP_IDEMPOTENCY_KEY="k-1")
    again = api.send("post", "/customers", payload, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert Customer.objects.count() == 1


def test_invalid_input_is_422_with_fields_and_unknown_fields_are_refused(api, rooftop):
    response = api.send(
        "post", "/customers", {"rooftop_id": rooftop.pk, "first_name": "Ana", "mobile_phone": "1"}
    )
    assert response.status_code == 422
    fields = {f["field"] for f in response.json()["error"]["fields"]}
    assert {"last_name", "mobile_phone"} <= fields
    response = api.send("post", "/customers", {"rooftop_id": rooftop.pk, "nickname": "x"})
    assert response.status_code == 422


def test_a_duplicate_is_409_with_the_matches_unless_allowed(api, rooftop):
    existing = make_customer(api.user, rooftop, email="ana@example.com")
    payload = {
        "rooftop_id": rooftop.pk,
        "first_name": "A",
        "last_name": "D",
        "email": "ANA@example.com",
    }
    response = api.send("post", "/customers", payload)
    assert response.status_code == 409
    assert response.json()["error"]["fields"] == [
        {"field": "duplicate_of", "message": str(existing.pk)}
    ]
    response = api.send("post", "/customers", {**payload, "allow_duplicate": True})
    assert response.status_code == 201


def test_update_with_if_match_and_a_stale_version_is_412(api, rooftop):
    customer = make_customer(api.user, rooftop)
    path = f"/customers/{customer.pk}"
    response = api.send("patch", path, {"city": "Reno"}, HTTP_IF_MATCH='"1"')
    assert response.status_code == 200
    assert response.json()["city"] == "Reno"
    assert response["ETag"] == '"2"'
    stale = api.send("patch", path, {"city": "Elko"}, HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    assert stale.json()["error"]["code"] == "precondition_failed"
    assert Customer.objects.get(pk=customer.pk).city == "Reno"
    body_version = api.send("patch", path, {"city": "Elko", "version": 1})
    assert body_version.status_code == 409
    missing = api.send("patch", path, {"city": "Elko"})
    assert missing.status_code == 422


def test_search_by_phone_in_any_format_email_and_name(api, rooftop):
    ana = make_customer(
        api.user, rooftop, first_name="Ana", last_name="Diaz", home_phone="415 555 2671"
    )
    make_customer(api.user, rooftop, first_name="Bob", last_name="Stone")
    assert [c["id"] for c in api.get("/customers", q="+1 (415) 555-2671").json()["items"]] == [
        ana.pk
    ]
    assert [c["id"] for c in api.get("/customers", q=ana.email.upper()).json()["items"]] == [ana.pk]
    assert [c["id"] for c in api.get("/customers", q="di").json()["items"]] == [ana.pk]
    assert [c["id"] for c in api.get("/customers", q="ana dia").json()["items"]] == [ana.pk]


def test_list_pages_with_keyset_cursors(api, rooftop):
    made = [make_customer(api.user, rooftop, last_name=f"Zed{i:02d}") for i in range(7)]
    seen = []
    cursor = ""
    while True:
        body = api.get("/customers", limit=3, cursor=cursor).json()
        seen += [row["id"] for row in body["items"]]
        if not body["has_next"]:
            break
        cursor = body["next_cursor"]
    assert seen == [c.pk for c in made]
    assert api.get("/customers", cursor="garbage").status_code == 422


def test_filters_by_tag_language_consent_and_salesperson(api, rooftop):
    tagged = make_customer(
        api.user, rooftop, tags=["vip"], preferred_language="es", consent_email=True,
        assigned_salesperson=api.user,
    )  # fmt: skip
    make_customer(api.user, rooftop, tags=["fleet"])
    for params in (
        {"tag": "vip"},
        {"language": "es"},
        {"consent": "email"},
        {"salesperson": api.user.pk},
    ):
        ids = [row["id"] for row in api.get("/customers", **params).json()["items"]]
        assert ids == [tagged.pk], params
    assert api.get("/customers", consent="fax").status_code == 422


def test_consents_endpoint_records_history(api, rooftop):
    customer = make_customer(api.user, rooftop, consent_sms=True)
    response = api.send(
        "post",
        f"/customers/{customer.pk}/consents",
        {"channel": "sms", "granted": False, "source": "phone", "note": "STOP"},
    )
    assert response.status_code == 201
    assert response.json()["granted"] is False
    assert Customer.objects.get(pk=customer.pk).consent_sms is False


def test_merge_needs_the_permission(api, manager_api, rooftop):
    survivor = make_customer(api.user, rooftop)
    duplicate = make_customer(api.user, rooftop)
    path = f"/customers/{survivor.pk}/merge"
    assert api.send("post", path, {"duplicate_id": duplicate.pk}).status_code == 403
    response = manager_api.send("post", path, {"duplicate_id": duplicate.pk})
    assert response.status_code == 200
    assert Customer.objects.get(pk=duplicate.pk).merged_into_id == survivor.pk
    assert AuditEntry.objects.filter(action="customers.merge_customer").count() == 1


def test_other_rooftops_customers_are_404(api, owner, other_rooftop):
    elsewhere = make_customer(owner, other_rooftop)
    assert api.get(f"/customers/{elsewhere.pk}").status_code == 404
    assert api.get("/customers").json()["items"] == []


def test_list_and_detail_use_a_fixed_number_of_queries(api, rooftop):
    for _ in range(30):
        make_customer(api.user, rooftop, consent_sms=True)
    customer = Customer.objects.first()
    api.get("/me")  # the token's first use records last_used_at
    # token with its user and their permissions (1), the page (1)
    with CaptureQueriesContext(connection) as list_queries:
        assert api.get("/customers", limit=25).status_code == 200
    # token with its user and permissions (1), the customer with its rooftop (1), consents (1)
    with CaptureQueriesContext(connection) as detail_queries:
        assert api.get(f"/customers/{customer.pk}").status_code == 200
    assert len(list_queries) == 2, [q["sql"] for q in list_queries]
    assert len(detail_queries) == 3, [q["sql"] for q in detail_queries]


def test_ssn_last_4_search_is_for_roles_that_may_reveal(make_user, token_for, owner, rooftop):
    customer = make_customer(owner, rooftop, ssn="123-45-6789")
    make_customer(owner, rooftop, ssn="123-45-0000")
    fi_manager = make_user(Role.FI_MANAGER)
    fi_api = ApiClient(fi_manager, token_for(fi_manager))
    assert [c["id"] for c in fi_api.get("/customers", q="6789").json()["items"]] == [customer.pk]
    seller = make_user(Role.SALESPERSON)
    seller_api = ApiClient(seller, token_for(seller))
    assert seller_api.get("/customers", q="6789").json()["items"] == []


def test_roles_without_view_permission_are_refused(make_user, token_for):
    technician = make_user(Role.TECHNICIAN)
    api = ApiClient(technician, token_for(technician))
    assert api.get("/customers").status_code == 403
