"""What every finance record has: its rooftop, and the version its actions increment."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone

from forecourt.core.permissions import RooftopScopedQuerySet


class RooftopRecord(models.Model):
    """A record of one rooftop, read through `for_user` and written with version checks."""

    rooftop = models.ForeignKey("accounts.Rooftop", on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[RooftopScopedQuerySet] = RooftopScopedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        abstract = True
