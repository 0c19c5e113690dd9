"""Owners create and edit rooftops in the UI and the API: audited, sudo mode, versioned."""

import json

import pytest
from django.test import Client

from forecourt.accounts import actions
from forecourt.accounts.models import Rooftop
from forecourt.accounts.roles import Role
from forecourt.core.models import AuditEntry
from forecourt.core.security.tests.test_reauth import stale_sudo
from forecourt.core.testing import bearer

pytestmark = pytest.mark.django_db

NEW_ROOFTOP = {
    "code": "leeds-north",
    "name": "Leeds North",
    "country": "GB",
    "currency": "GBP",
    "locale": "en-GB",
    "time_zone": "Europe/London",
    "address": "1 Kirkstall Road\nLeeds",
    "phone": "+441130000000",
    "is_active": "on",
}


def test_owner_creates_a_rooftop_in_the_ui_and_it_is_audited(client_for, owner):
    response = client_for(owner).post("/accounts/rooftops/new/", NEW_ROOFTOP)
    rooftop = Rooftop.objects.get(code="leeds-north")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/rooftops/{rooftop.pk}/"
    assert (rooftop.country, rooftop.currency, rooftop.time_zone) == ("GB", "GBP", "Europe/London")
    assert rooftop.address == "1 Kirkstall Road\nLeeds"
    assert rooftop.version == 1
    entry = AuditEntry.objects.get(action="accounts.create_rooftop", object_id=str(rooftop.pk))
    assert entry.actor == owner
    assert entry.changes["code"] == [None, "leeds-north"]


def test_rooftop_form_shows_inline_errors_and_saves_nothing(client_for, owner, rooftop):
    data = {**NEW_ROOFTOP, "code": rooftop.code, "time_zone": "Mars/Olympus"}
    response = client_for(owner).post("/accounts/rooftops/new/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Rooftop with this Code already exists" in page
    assert "Enter an IANA time zone" in page
    assert not Rooftop.objects.filter(name="Leeds North").exists()


def test_owner_edits_a_rooftop_and_a_stale_form_is_refused(client_for, owner, rooftop):
    client = client_for(owner)
    form = client.get(f"/accounts/rooftops/{rooftop.pk}/edit/")
    assert form.status_code == 200
    assert 'name="version" value="1"' in form.content.decode()
    data = {**NEW_ROOFTOP, "code": rooftop.code, "version": "1", "time_zone": "America/Chicago"}
    assert client.post(f"/accounts/rooftops/{rooftop.pk}/edit/", data).status_code == 302
    rooftop.refresh_from_db()
    assert (rooftop.time_zone, rooftop.version) == ("America/Chicago", 2)
    entry = AuditEntry.objects.get(action="accounts.update_rooftop", object_id=str(rooftop.pk))
    assert entry.changes["time_zone"] == ["America/New_York", "America/Chicago"]
    stale = client.post(f"/accounts/rooftops/{rooftop.pk}/edit/", {**data, "name": "Other"})
    assert stale.status_code == 200
    assert "changed by someone else (now version 2)" in stale.content.decode()
    rooftop.refresh_from_db()
    assert rooftop.name == "Leeds North"


def test_rooftop_pages_need_sudo_mode(client_for, owner, rooftop):
    client = stale_sudo(client_for(owner))
    for url in ("/accounts/rooftops/new/", f"/accounts/rooftops/{rooftop.pk}/edit/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/security/reauth/")


@pytest.mark.parametrize("role", [Role.GENERAL_MANAGER, Role.SALESPERSON])
def test_other_roles_cannot_create_or_edit_rooftops(client_for, make_user, rooftop, role):
    client = client_for(make_user(role))
    assert client.get("/accounts/rooftops/new/").status_code == 403
    assert client.post(f"/accounts/rooftops/{rooftop.pk}/edit/", NEW_ROOFTOP).status_code == 403
    rooftop.refresh_from_db()
    assert rooftop.version == 1


def _api(method, path, token, body=None, **headers):
    return getattr(Client(), method)(
        f"/api/v1{path}",
        json.dumps(body),
        content_type="application/json",
        **bearer(token),
        **headers,
    )


def test_api_creates_and_updates_a_rooftop_with_optimistic_concurrency(owner, token_for):
    token = token_for(owner)
    body = {k: v for k, v in NEW_ROOFTOP.items() if k != "is_active"}
    created = _api("post", "/rooftops", token, body)
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["code"], data["currency"], data["version"]) == ("leeds-north", "GBP", 1)
    assert created["ETag"] == '"1"'
    path = f"/rooftops/{data['id']}"
    updated = _api("patch", path, token, {"phone": "+441139999999"}, HTTP_IF_MATCH='"1"')
    assert updated.status_code == 200, updated.content
    assert (updated.json()["phone"], updated["ETag"]) == ("+441139999999", '"2"')
    assert _api("patch", path, token, {"name": "X"}, HTTP_IF_MATCH='"1"').status_code == 412
    assert _api("patch", path, token, {"name": "X", "version": 1}).status_code == 409
    assert _api("patch", path, token, {"name": "X"}).status_code == 422  # no version named
    assert Rooftop.objects.get(pk=data["id"]).name == "Leeds North"
    assert AuditEntry.objects.filter(object_id=str(data["id"])).count() == 2


def test_api_refuses_bad_rooftop_input_with_the_field(owner, token_for):
    token = token_for(owner)
    body = {**{k: v for k, v in NEW_ROOFTOP.items() if k != "is_active"}, "time_zone": "Nowhere"}
    response = _api("post", "/rooftops", token, body)
    assert response.status_code == 422
    assert [f["field"] for f in response.json()["error"]["fields"]] == ["time_zone"]
    unknown = _api("post", "/rooftops", token, {**body, "time_zone": "UTC", "version": 4})
    assert unknown.status_code == 422
    assert not Rooftop.objects.filter(code="leeds-north").exists()


def test_api_rooftop_writes_need_the_permission(make_user, token_for, rooftop):
    manager = make_user(Role.GENERAL_MANAGER)
    token = token_for(manager)
    body = {k: v for k, v in NEW_ROOFTOP.items() if k != "is_active"}
    assert _api("post", "/rooftops", token, body).status_code == 403
    response = _api("patch", f"/rooftops/{rooftop.pk}", token, {"name": "X", "version": 1})
    assert response.status_code == 403


def test_api_session_writes_need_sudo_mode(client_for, owner):
    client = stale_sudo(client_for(owner))
    body = {k: v for k, v in NEW_ROOFTOP.items() if k != "is_active"}
    response = client.post("/api/v1/rooftops", json.dumps(body), content_type="application/json")
    assert response.status_code == 403
    assert not Rooftop.objects.filter(code="leeds-north").exists()


def test_update_action_ignores_a_no_op_and_refuses_unknown_fields(owner, rooftop):
    same = actions.update_rooftop(owner, rooftop, {"name": rooftop.name}, expected_version=1)
    assert same.version == 1
    assert not AuditEntry.objects.filter(action="accounts.update_rooftop").exists()
    with pytest.raises(actions.ValidationError) as refused:
        actions.update_rooftop(owner, rooftop, {"created_at": None})
    assert "created_at" in refused.value.message_dict
