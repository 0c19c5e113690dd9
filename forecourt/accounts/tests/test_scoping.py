"""Rooftop scoping: a user of rooftop A never sees rooftop B's objects (404, not 403)."""

import pytest
from django.contrib.auth.models import Group, Permission

from forecourt.accounts.models import ApiToken, Rooftop, User
from forecourt.accounts.roles import Role
from forecourt.core.testing import bearer

pytestmark = pytest.mark.django_db


def test_for_user_returns_only_the_users_rooftops(salesperson, rooftop, other_rooftop):
    assert list(Rooftop.objects.for_user(salesperson, "view")) == [rooftop]


def test_for_user_returns_everything_to_all_rooftop_roles(owner, rooftop, other_rooftop):
    assert set(Rooftop.objects.for_user(owner, "view")) == {rooftop, other_rooftop}


def test_for_user_returns_nothing_without_the_model_permission(salesperson):
    assert not User.objects.for_user(salesperson, "view").exists()
    assert not Rooftop.objects.for_user(salesperson, "change").exists()


def test_for_user_returns_nothing_to_anonymous_or_inactive(salesperson):
    from django.contrib.auth.models import AnonymousUser

    assert not Rooftop.objects.for_user(AnonymousUser(), "view").exists()
    salesperson.is_active = False
    assert not Rooftop.objects.for_user(salesperson, "view").exists()


def test_users_are_scoped_through_their_rooftops(make_user, rooftop, other_rooftop):
    manager = make_user(Role.SALES_MANAGER, rooftops=[rooftop])
    manager.user_permissions.add(Permission.objects.get(codename="view_user"))
    manager = User.objects.get(pk=manager.pk)
    colleague = make_user(Role.SALESPERSON, rooftops=[rooftop])
    stranger = make_user(Role.SALESPERSON, rooftops=[other_rooftop])
    visible = set(User.objects.for_user(manager, "view"))
    assert colleague in visible
    assert stranger not in visible


def test_other_rooftop_page_is_404(client_for, salesperson, rooftop, other_rooftop):
    client = client_for(salesperson)
    assert client.get(f"/accounts/rooftops/{rooftop.pk}/").status_code == 200
    response = client.get(f"/accounts/rooftops/{other_rooftop.pk}/")
    assert response.status_code == 404
    assert other_rooftop.name not in response.content.decode()


def test_other_rooftop_api_is_404(token_for, salesperson, rooftop, other_rooftop, client):
    headers = bearer(token_for(salesperson))
    assert client.get(f"/api/v1/rooftops/{rooftop.pk}", **headers).status_code == 200
    response = client.get(f"/api/v1/rooftops/{other_rooftop.pk}", **headers)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    listed = client.get("/api/v1/rooftops", **headers).json()
    assert [r["id"] for r in listed] == [rooftop.pk]


def test_tokens_of_another_rooftop_are_404_to_its_admin(
    make_user, token_for, client, rooftop, other_rooftop
):
    local_admin = make_user(Role.OWNER, rooftops=[rooftop])
    # An Owner sees every rooftop; a rooftop-bound admin is modelled by removing that grant.
    group = Group.objects.create(name="Local admin")
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="accounts").exclude(
            codename="access_all_rooftops"
        )
    )
    local_admin.groups.set([group])
    stranger = make_user(Role.SALESPERSON, rooftops=[other_rooftop])
    token_for(stranger)
    foreign = ApiToken.objects.get(user=stranger)
    response = client.post(f"/api/v1/tokens/{foreign.pk}/revoke", **bearer(token_for(local_admin)))
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.revoked_at is None
