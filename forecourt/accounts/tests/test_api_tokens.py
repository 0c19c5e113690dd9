from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from forecourt.accounts import actions
from forecourt.accounts.models import ApiToken, hash_token
from forecourt.accounts.roles import Role
from forecourt.core.models import AuditEntry
from forecourt.core.testing import bearer

pytestmark = pytest.mark.django_db


def test_token_is_stored_hashed_and_shown_once(owner, salesperson):
    token, raw = actions.create_api_token(owner, user=salesperson, name="DMS sync", scopes=["read"])
    assert raw.startswith("fc_")
    assert token.token_hash == hash_token(raw)
    assert raw not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    entry = AuditEntry.objects.get(action="accounts.create_api_token")
    assert raw not in str(entry.changes)


def test_token_authenticates_api_requests(client, salesperson, token_for):
    response = client.get("/api/v1/me", **bearer(token_for(salesperson)))
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == salesperson.email
    assert body["roles"] == [Role.SALESPERSON.value]


def test_read_only_token_cannot_write(client, owner, token_for, salesperson):
    raw = token_for(owner, scopes=("read",))
    response = client.post(
        "/api/v1/tokens",
        {"user_id": salesperson.pk, "name": "x", "scopes": ["read"]},
        content_type="application/json",
        **bearer(raw),
    )
    assert response.status_code == 403
    assert "'tokens:create' scope" in response.json()["error"]["message"]
    assert not ApiToken.objects.filter(name="x").exists()


@pytest.mark.parametrize("state", ["expired", "revoked", "unknown", "inactive-user"])
def test_unusable_tokens_are_401(client, owner, salesperson, token_for, state):
    raw = token_for(salesperson)
    token = ApiToken.objects.get(token_hash=hash_token(raw))
    if state == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(1))
    elif state == "revoked":
        actions.revoke_api_token(owner, token)
    elif state == "unknown":
        raw = raw + "x"
    else:
        salesperson.is_active = False
        salesperson.save()
    response = client.get("/api/v1/me", **bearer(raw))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


PROVISIONING = ("read", "write", "tokens:create")


def test_admin_creates_and_revokes_tokens_through_the_api(client, owner, salesperson, token_for):
    headers = bearer(token_for(owner, scopes=PROVISIONING))
    created = client.post(
        "/api/v1/tokens",
        {"user_id": salesperson.pk, "name": "Website", "scopes": ["read"], "expires_in_days": 30},
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["token"].startswith("fc_")
    assert body["user_email"] == salesperson.email
    assert client.get("/api/v1/me", **bearer(body["token"])).status_code == 200
    revoked = client.post(f"/api/v1/tokens/{body['id']}/revoke", **headers)
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    assert client.get("/api/v1/me", **bearer(body["token"])).status_code == 401
    listed = client.get("/api/v1/tokens", **headers).json()
    assert {t["name"] for t in listed} >= {"Website"}


def test_salesperson_cannot_create_tokens(client, salesperson, token_for):
    response = client.post(
        "/api/v1/tokens",
        {"user_id": salesperson.pk, "name": "mine", "scopes": ["read"]},
        content_type="application/json",
        **bearer(token_for(salesperson)),
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert client.get("/api/v1/tokens", **bearer(token_for(salesperson))).status_code == 403


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "", "scopes": ["read"]}, "name"),
        ({"name": "x", "scopes": ["admin"]}, "scopes.0"),
        ({"name": "x", "scopes": []}, "scopes"),
        ({"name": "x", "scopes": ["read"], "expires_in_days": 9999}, "expires_in_days"),
        ({"name": "x", "scopes": ["read"], "is_superuser": True}, "is_superuser"),
    ],
)
def test_bad_token_input_is_422_with_the_field(
    client, owner, salesperson, token_for, payload, field
):
    response = client.post(
        "/api/v1/tokens",
        {"user_id": salesperson.pk, **payload},
        content_type="application/json",
        **bearer(token_for(owner, scopes=PROVISIONING)),
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert field in [f["field"] for f in error["fields"]]
    assert not ApiToken.objects.filter(user=salesperson).exists()


def test_action_validates_scopes_and_lifetime(owner, salesperson):
    with pytest.raises(ValidationError) as caught:
        actions.create_api_token(owner, user=salesperson, name="x", scopes=["root"])
    assert "scopes" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        actions.create_api_token(
            owner, user=salesperson, name="x", scopes=["read"], expires_in_days=0
        )
    assert "expires_in_days" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        actions.create_api_token(salesperson, user=salesperson, name="x", scopes=["read"])


def test_session_api_requests_need_csrf(salesperson, owner, client_for):
    client = client_for(owner)
    client.handler.enforce_csrf_checks = True
    assert client.get("/api/v1/me").status_code == 200
    response = client.post(
        "/api/v1/tokens",
        {"user_id": salesperson.pk, "name": "x", "scopes": ["read"]},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def _create(client, raw, user, scopes=("read",), **extra):
    return client.post(
        "/api/v1/tokens",
        {"user_id": user.pk, "name": "child", "scopes": list(scopes), **extra},
        content_type="application/json",
        **bearer(raw),
    )


def test_a_write_token_cannot_mint_tokens(client, owner, salesperson, token_for):
    """Finding 6: an owner's ordinary token created 365-day tokens without re-authentication."""
    response = _create(client, token_for(owner), salesperson, expires_in_days=365)
    assert response.status_code == 403
    assert "'tokens:create' scope" in response.json()["error"]["message"]
    assert not ApiToken.objects.filter(name="child").exists()


def test_a_provisioning_token_passes_on_no_more_than_it_holds(
    client, owner, salesperson, token_for
):
    raw = token_for(owner, scopes=("read", "tokens:create"))
    parent = ApiToken.objects.get(token_hash=hash_token(raw))
    refused = _create(client, raw, salesperson, scopes=("read", "write"))
    assert refused.status_code == 422
    assert "write" in refused.json()["error"]["fields"][0]["message"]
    created = _create(client, raw, salesperson, expires_in_days=365)
    assert created.status_code == 201
    child = ApiToken.objects.get(pk=created.json()["id"])
    assert child.created_by_token == parent
    assert child.expires_at <= parent.expires_at


def test_revoking_a_token_revokes_the_tokens_it_created(client, owner, salesperson, token_for):
    raw = token_for(owner, scopes=PROVISIONING)
    child = _create(client, raw, owner, scopes=PROVISIONING).json()
    grandchild = _create(client, child["token"], salesperson).json()
    unrelated = token_for(salesperson)
    actions.revoke_api_token(owner, ApiToken.objects.get(token_hash=hash_token(raw)))
    for secret in (raw, child["token"], grandchild["token"]):
        assert client.get("/api/v1/me", **bearer(secret)).status_code == 401
    assert client.get("/api/v1/me", **bearer(unrelated)).status_code == 200
    revoked = AuditEntry.objects.filter(action="accounts.revoke_api_token")
    assert revoked.count() == 3
    assert {e.object_id for e in revoked} >= {str(child["id"]), str(grandchild["id"])}
