"""The inventory panel of the dashboard: stock by status and age, per rooftop.

One GROUP BY over the user's rooftops, cached for a few minutes per set of rooftops (any
process; Redis when configured), so a large inventory costs one scan per five minutes, not
one per page view.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone

from forecourt.core.permissions import sees_all_rooftops
from forecourt.inventory.models import OUT_OF_STOCK_STATUSES, Status, Vehicle

CACHE_SECONDS = 300
# The list shows only *available* units unless asked for statuses: the "In stock" and aging
# links name every in-stock status, so the list holds what the count counted.
IN_STOCK_QUERY = urlencode(
    [("status", s.value) for s in Status if s not in OUT_OF_STOCK_STATUSES], doseq=True
)


def _rooftop_key(user: Any) -> str:
    if sees_all_rooftops(user):
        return "all"
    return ",".join(str(pk) for pk in sorted(user.rooftops.values_list("pk", flat=True)))


def stock_rows(user: Any) -> list[dict[str, Any]]:
    today = timezone.localdate()
    in_stock = ~Q(status__in=OUT_OF_STOCK_STATUSES)
    rows = (
        Vehicle.objects.for_user(user, "view")
        .order_by()
        .values("rooftop_id", "rooftop__name")
        .annotate(
            in_stock=Count("id", filter=in_stock),
            available=Count("id", filter=Q(status=Status.AVAILABLE)),
            on_hold=Count("id", filter=Q(status=Status.ON_HOLD)),
            getting_ready=Count(
                "id", filter=Q(status__in=[Status.INCOMING, Status.IN_RECONDITIONING])
            ),
            aged_61_90=Count(
                "id",
                filter=in_stock
                & Q(acquired_on__lte=today - timedelta(days=61))
                & Q(acquired_on__gt=today - timedelta(days=91)),
            ),
            aged_over_90=Count(
                "id", filter=in_stock & Q(acquired_on__lte=today - timedelta(days=91))
            ),
            sold_30_days=Count("id", filter=Q(sold_at__gte=timezone.now() - timedelta(days=30))),
        )
        .order_by("rooftop__name")
    )
    return [dict(row) for row in rows]


def stock_summary(request: HttpRequest) -> dict[str, Any] | None:
    user: Any = request.user
    key = f"dashboard:inventory:{_rooftop_key(user)}"
    rows = cache.get(key)
    if rows is None:
        rows = stock_rows(user)
        cache.set(key, rows, CACHE_SECONDS)
    if not rows:
        return None
    return {"rows": rows, "cache_minutes": CACHE_SECONDS // 60, "in_stock_query": IN_STOCK_QUERY}
