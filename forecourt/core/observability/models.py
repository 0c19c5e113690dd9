"""What monitoring keeps in the database: security events, alerts, worker heartbeats,
the addresses privileged users signed in from, and a counter table used as the shared
store when no Redis is configured."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AlertLevel(models.TextChoices):
    INFO = "info", "Info"
    WARNING = "warning", "Warning"
    ERROR = "error", "Error"
    CRITICAL = "critical", "Critical"


class SecurityEvent(models.Model):
    """One suspicious or security-relevant thing that happened (searchable by admins)."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    kind = models.CharField(max_length=64, db_index=True)
    level = models.CharField(max_length=10, choices=AlertLevel.choices, default=AlertLevel.WARNING)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    user_label = models.CharField(max_length=254, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    request_id = models.CharField(max_length=128, blank=True, db_index=True)
    details = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("view_system_status", "Can see the system status page")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.kind} {self.user_label or self.ip_address}"


class Alert(models.Model):
    """An alert raised by the application; deliveries go out through each channel."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    level = models.CharField(max_length=10, choices=AlertLevel.choices)
    title = models.CharField(max_length=200)
    details = models.JSONField(default=dict)
    dedup_key = models.CharField(max_length=128, db_index=True)
    request_id = models.CharField(max_length=128, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"[{self.level}] {self.title}"


class AlertDelivery(models.Model):
    """The outcome of sending one alert through one channel."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["alert_id", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["alert", "channel"], name="alert_delivery_once")
        ]

    def __str__(self) -> str:
        return f"{self.alert_id}/{self.channel}: {self.status}"


class WorkerHeartbeat(models.Model):
    """Each task worker writes its row every loop; readiness wants a recent one."""

    name = models.CharField(max_length=128, unique=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    last_seen = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_seen:%Y-%m-%d %H:%M:%S}"


class KnownAddress(models.Model):
    """An address a user has signed in from; a new one for a privileged role is an event."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    ip_address = models.GenericIPAddressField()
    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "ip_address"], name="known_address_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} from {self.ip_address}"


class SharedCounter(models.Model):
    """A windowed counter shared by every process, used when Redis is not configured."""

    key = models.CharField(max_length=200, unique=True)
    value = models.BigIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class ResourceSample(models.Model):
    """The latest resource sample of each process host (the status page reads them)."""

    source = models.CharField(max_length=200, unique=True, help_text="host:pid of the sampler")
    sampled_at = models.DateTimeField(default=timezone.now)
    values = models.JSONField(default=dict)

    class Meta:
        ordering = ["-sampled_at"]

    def __str__(self) -> str:
        return f"{self.source} @ {self.sampled_at:%H:%M:%S}"
