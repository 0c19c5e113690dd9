import pytest
from django.contrib.auth.models import Group

from forecourt.accounts.roles import ROLE_GRANTS, Role, granted


@pytest.mark.django_db
def test_every_role_is_a_group_after_migrations():
    assert set(Group.objects.values_list("name", flat=True)) >= {r.value for r in Role}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "permission", "expected"),
    [
        (Role.OWNER, "accounts.add_user", True),
        (Role.OWNER, "accounts.access_all_rooftops", True),
        (Role.GENERAL_MANAGER, "accounts.access_all_rooftops", True),
        (Role.GENERAL_MANAGER, "accounts.add_user", False),
        (Role.GENERAL_MANAGER, "core.view_auditentry", True),
        (Role.SALES_MANAGER, "core.view_auditentry", True),
        (Role.SALESPERSON, "accounts.view_rooftop", True),
        (Role.SALESPERSON, "accounts.view_user", False),
        (Role.SALESPERSON, "core.view_auditentry", False),
        (Role.SALESPERSON, "accounts.add_apitoken", False),
        (Role.ACCOUNTANT, "core.view_auditentry", True),
        (Role.READ_ONLY, "accounts.change_rooftop", False),
        (Role.TECHNICIAN, "accounts.access_all_rooftops", False),
    ],
)
def test_role_permissions(make_user, role, permission, expected):
    user = make_user(role)
    assert user.has_perm(permission) is expected


@pytest.mark.django_db
def test_group_grants_match_the_declared_patterns():
    for role in Role:
        group = Group.objects.get(name=role.value)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert all(granted(role, p) for p in held)
        assert held, f"{role} should hold at least one permission"


def test_patterns_reach_permissions_of_apps_added_later():
    assert granted(Role.SALESPERSON, "inventory.view_vehicle")
    assert granted(Role.SALESPERSON, "inventory.hold_vehicle")
    assert not granted(Role.SALESPERSON, "inventory.delete_vehicle")
    assert granted(Role.READ_ONLY, "customers.view_customer")
    assert not granted(Role.READ_ONLY, "customers.change_customer")
    assert set(ROLE_GRANTS) == set(Role)


@pytest.mark.django_db
def test_inactive_user_has_no_permissions(make_user):
    user = make_user(Role.OWNER)
    user.is_active = False
    assert not user.has_perm("accounts.view_rooftop")


@pytest.mark.django_db
def test_permissions_load_in_one_query_from_groups_and_the_user(
    make_user, django_assert_num_queries
):
    from django.contrib.auth.models import Permission

    from forecourt.accounts.models import User

    user = make_user(Role.SALESPERSON)
    user.user_permissions.add(Permission.objects.get(codename="view_user"))
    user = User.objects.get(pk=user.pk)
    with django_assert_num_queries(1):
        assert user.has_perm("accounts.view_user")  # granted to the user directly
        assert user.has_perm("accounts.view_rooftop")  # granted through the role
        assert not user.has_perm("accounts.add_user")
