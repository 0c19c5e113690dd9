"""Visible-or-404: the one way a view or an endpoint looks up an object by id.

Reads are scoped by `for_user(user, action)` (core/permissions.py); an object the user may
not see is answered exactly like one that does not exist (404, never 403).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.shortcuts import get_object_or_404


def visible_or_404[M: Model](
    model: type[M], user: Any, pk: Any, action: str = "view", *, related: tuple[str, ...] = ()
) -> M:
    """`model`'s row `pk` if `user` may `action` it, else Http404."""
    queryset = model.objects.for_user(user, action)  # type: ignore[attr-defined]
    if related:
        queryset = queryset.select_related(*related)
    return get_object_or_404(queryset, pk=pk)
