"""Counters and once-only markers shared by every process (several app processes and
workers run at once, so process memory would undercount).

Redis when REDIS_URL is set (atomic INCR/SET NX with expiry), else the database
(`SharedCounter` rows with an expiry time).
"""

from __future__ import annotations

import functools
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

PREFIX = "forecourt:obs:"


@functools.cache
def _redis_client(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def _redis() -> Any | None:
    """The Redis client when the cache is Redis-backed (as it is whenever REDIS_URL is set)."""
    cache = settings.CACHES["default"]
    if not cache["BACKEND"].endswith("RedisCache"):
        return None
    return _redis_client(str(cache["LOCATION"]))


def increment(key: str, window_seconds: int, amount: int = 1) -> int:
    """Add `amount` to `key`; return the total within its window (which starts at the first hit)."""
    client = _redis()
    if client is not None:
        pipe = client.pipeline()
        pipe.incrby(PREFIX + key, amount)
        pipe.expire(PREFIX + key, window_seconds, nx=True)
        count, _ = pipe.execute()
        return int(count)
    return _db_increment(key, window_seconds, amount)


def add_once(key: str, window_seconds: int) -> bool:
    """True the first time `key` is seen within the window, False for repeats."""
    if window_seconds <= 0:
        return True
    client = _redis()
    if client is not None:
        return bool(client.set(PREFIX + key, 1, nx=True, ex=window_seconds))
    return _db_increment(key, window_seconds) == 1


def _db_increment(key: str, window_seconds: int, amount: int = 1) -> int:
    from forecourt.core.observability.models import SharedCounter

    now = timezone.now()
    with transaction.atomic():
        SharedCounter.objects.filter(key=key, expires_at__lte=now).delete()
        try:
            with transaction.atomic():
                SharedCounter.objects.create(
                    key=key, value=amount, expires_at=now + timedelta(seconds=window_seconds)
                )
                return amount
        except IntegrityError:
            pass  # another process created it first: count on top of theirs
        SharedCounter.objects.filter(key=key).update(value=F("value") + amount)
        return int(SharedCounter.objects.values_list("value", flat=True).get(key=key))


def purge_expired() -> int:
    """Delete expired database counters (Redis expires its own keys)."""
    from forecourt.core.observability.models import SharedCounter

    deleted, _ = SharedCounter.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


def clear() -> None:
    """Forget every counter and marker (tests)."""
    from forecourt.core.observability.models import SharedCounter

    client = _redis()
    if client is not None:
        keys = list(client.scan_iter(match=PREFIX + "*", count=500))
        if keys:
            client.delete(*keys)
    SharedCounter.objects.all().delete()
