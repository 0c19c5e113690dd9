"""Grandfather-father-son retention: the newest backup of each of the last N days, weeks, months."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Hashable
from datetime import datetime

from django.conf import settings


def backups_to_keep(
    moments: list[datetime], *, daily: int, weekly: int, monthly: int
) -> set[datetime]:
    """The moments to keep: per period, the newest backup of each of the latest periods."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    newest_first = sorted(set(moments), reverse=True)
    keep: set[datetime] = set()

    def newest_per_period(period: Callable[[datetime], Hashable], count: int) -> None:
        seen: set[Hashable] = set()
        for moment in newest_first:
            key = period(moment.astimezone(zone))
            if key in seen:
                continue
            if len(seen) >= count:
                return
            seen.add(key)
            keep.add(moment)

    newest_per_period(lambda m: m.date(), daily)
    newest_per_period(lambda m: m.isocalendar()[:2], weekly)
    newest_per_period(lambda m: (m.year, m.month), monthly)
    return keep
