"""When a scheduled job is due: '02:00' (daily, server TIME_ZONE) or 'every 6h'.

Plain parsing and arithmetic, no models, so the configuration can validate a schedule before
Django's apps load (forecourt/core/config).
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings

_DAILY = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")
_EVERY = re.compile(r"^\s*every\s+(\d+)\s*([mhd])\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86400}
_EPOCH = datetime(2000, 1, 1, tzinfo=zoneinfo.ZoneInfo("UTC"))


@dataclass(frozen=True)
class Schedule:
    """Either daily at a wall-clock time (server TIME_ZONE) or every fixed interval."""

    text: str
    daily_at: time | None = None
    every: timedelta | None = None

    def latest_due(self, now: datetime) -> datetime:
        """The most recent scheduled instant at or before `now`: the slot a run belongs to."""
        if self.every is not None:
            periods = (now - _EPOCH) // self.every
            return _EPOCH + periods * self.every
        assert self.daily_at is not None  # noqa: S101 - parse_schedule sets exactly one
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        local_now = now.astimezone(zone)
        today = datetime.combine(local_now.date(), self.daily_at, tzinfo=zone)
        return today if today <= local_now else today - timedelta(days=1)


def parse_schedule(text: str) -> Schedule:
    """'02:00' (daily) or 'every 15m' / 'every 6h' / 'every 1d'; ValueError otherwise."""
    if match := _DAILY.match(text):
        hour, minute = int(match[1]), int(match[2])
        if hour > 23 or minute > 59:
            raise ValueError(f"{text!r} is not a time of day HH:MM")
        return Schedule(text=text.strip(), daily_at=time(hour, minute))
    if match := _EVERY.match(text):
        amount = int(match[1])
        if amount < 1:
            raise ValueError(f"{text!r}: the interval must be at least 1")
        return Schedule(
            text=text.strip(), every=timedelta(seconds=amount * _UNIT_SECONDS[match[2].lower()])
        )
    raise ValueError(f"{text!r} is not a schedule like 02:00 (daily) or every 6h")
