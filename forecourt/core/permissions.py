"""Row-level access: one permission-aware queryset method guards every read.

`Model.objects.for_user(user, "view")` returns only the rows of the user's rooftops,
and nothing at all when the user's roles lack the model permission. Detail views
look objects up through it, so an object of another rooftop is a 404, never a leak.
"""

from __future__ import annotations

from typing import Any, Self

from django.db import models

ALL_ROOFTOPS_PERMISSION = "accounts.access_all_rooftops"


def permission_name(model: type[models.Model], action: str) -> str:
    """'view' on Vehicle -> 'inventory.view_vehicle'; custom actions work the same way."""
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def has_model_permission(user: Any, model: type[models.Model], action: str) -> bool:
    return bool(user.is_active and user.has_perm(permission_name(model, action)))


def sees_all_rooftops(user: Any) -> bool:
    return bool(user.is_active and user.has_perm(ALL_ROOFTOPS_PERMISSION))


class RooftopScopedQuerySet(models.QuerySet):
    """Queryset whose rows belong to a rooftop, reached by `rooftop_lookup`."""

    rooftop_lookup = "rooftop"

    def for_user(self, user: Any, action: str = "view") -> Self:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if not has_model_permission(user, self.model, action):
            return self.none()
        if sees_all_rooftops(user):
            return self
        # A subquery, not a list: one round trip, and always the current memberships.
        rooftops = user.rooftops.values("pk")
        scoped = self.filter(**{f"{self.rooftop_lookup}__in": rooftops})
        return scoped.distinct() if "__" in self.rooftop_lookup else scoped


def require_permission(user: Any, permission: str) -> None:
    """Raise PermissionDenied unless the user's roles hold `permission`."""
    from django.core.exceptions import PermissionDenied

    if not (getattr(user, "is_active", False) and user.has_perm(permission)):
        raise PermissionDenied(f"Your role does not allow this ({permission}).")
