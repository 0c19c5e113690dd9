"""Authentication backend: Django's ModelBackend, with permissions loaded in one query.

Every request checks a permission; Django's backend needs two queries for that (the user's
own permissions, then their groups'). One query over both keeps authorization to a single
round trip. `permission_names_subquery` is the same lookup as
a correlated subquery, so the API token lookup fetches the token, its user and the user's
permissions in one statement (accounts/auth.py).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import CharField, OuterRef, Q, QuerySet, StringAgg, Subquery, Value
from django.db.models.functions import Concat

# Permission codenames and app labels are identifiers: never a comma.
SEPARATOR = ","


def _user_permissions(user: Any) -> QuerySet[Permission]:
    """Granted to the user directly or through a group: two indexed IN-subqueries (an OR
    over LEFT JOINs of both link tables would join every grant of every group first).
    `user` is a User or an OuterRef to a user id (then the link tables, a level deeper,
    refer one more level out)."""
    link_user = OuterRef(user) if isinstance(user, OuterRef) else user
    user_model = get_user_model()
    direct = user_model.user_permissions.through.objects.filter(user=link_user)
    via_groups = Group.permissions.through.objects.filter(group__user=link_user)
    return Permission.objects.filter(
        Q(pk__in=direct.values("permission_id")) | Q(pk__in=via_groups.values("permission_id"))
    )


def permission_names_subquery(user_ref: Any) -> Subquery:
    """'app.codename,app.codename,...' of the user `user_ref` points at (None if none)."""
    names = (
        _user_permissions(user_ref)
        .order_by()
        .annotate(_all=Value(1))
        .values("_all")  # a constant: one aggregate row for the whole set, no GROUP BY
        .annotate(
            names=StringAgg(
                Concat("content_type__app_label", Value("."), "codename"),
                Value(SEPARATOR),  # duplicates (user and group grants) fold in the set
                output_field=CharField(),
            )
        )
        .values("names")
    )
    return Subquery(names, output_field=CharField())


def preload_permissions(user: Any, joined_names: str | None) -> None:
    """Fill the cache `get_all_permissions` reads, from `permission_names_subquery`'s value."""
    if not user.is_superuser:  # superusers pass has_perm without looking at permissions
        user._perm_cache = set(joined_names.split(SEPARATOR)) if joined_names else set()


class ForecourtModelBackend(ModelBackend):
    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                permissions = Permission.objects.all()
            else:
                permissions = _user_permissions(user_obj)
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in permissions.values_list(
                    "content_type__app_label", "codename"
                )
            }
        return user_obj._perm_cache
