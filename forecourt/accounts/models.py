"""Users (email login), rooftops (dealer locations) and API tokens."""

from __future__ import annotations

import hashlib
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone

from forecourt.core.permissions import RooftopScopedQuerySet


class Country(models.TextChoices):
    US = "US", "United States"
    GB = "GB", "United Kingdom"


class Currency(models.TextChoices):
    USD = "USD", "US dollar"
    GBP = "GBP", "Pound sterling"


class RooftopQuerySet(RooftopScopedQuerySet):
    rooftop_lookup = "pk"


class Rooftop(models.Model):
    """A dealer location. Country, currency, locale and time zone are its settings."""

    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=120)
    country = models.CharField(max_length=2, choices=Country.choices)
    currency = models.CharField(max_length=3, choices=Currency.choices)
    locale = models.CharField(max_length=10, default="en-US")
    time_zone = models.CharField(max_length=64, default="America/New_York")
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(
        default=1, help_text="Incremented on every change: optimistic concurrency (If-Match)."
    )

    objects: ClassVar[RooftopQuerySet] = RooftopQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["name"]
        permissions = [("access_all_rooftops", "Can see and act on every rooftop")]

    def __str__(self) -> str:
        return self.name

    @property
    def rooftop_id(self) -> int:
        """A rooftop belongs to itself (audit entries and scoping read `rooftop_id`)."""
        return self.pk

    @property
    def etag(self) -> str:
        return f'"{self.version}"'


class UserQuerySet(RooftopScopedQuerySet):
    rooftop_lookup = "rooftops"


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Roles are groups; rooftops scope what they see."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May use the Django admin site.")
    date_joined = models.DateTimeField(default=timezone.now, editable=False)
    rooftops = models.ManyToManyField(Rooftop, related_name="users", blank=True)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        # Once the user's permission names are loaded (by the API's token check, or by the
        # first question on a page), answer from them. Django would otherwise build every
        # authentication backend anew for each question; only ForecourtModelBackend grants
        # permissions (axes' backend grants none), and it answers from this same set.
        names = self.__dict__.get("_perm_cache")
        if names is not None and obj is None and self.is_active and not self.is_superuser:
            return perm in names
        return super().has_perm(perm, obj)

    @property
    def role_names(self) -> list[str]:
        return sorted(group.name for group in self.groups.all())


class ApiTokenScope(models.TextChoices):
    READ = "read", "Read"
    WRITE = "write", "Write"
    # Only the website lead endpoint (POST /api/v1/leads/web) accepts it, and it needs nothing
    # else: a token embedded in a public web form's server can create leads and nothing more.
    LEADS_CREATE = "leads:create", "Create leads (website lead forms)"
    # Only POST /api/v1/tokens accepts it (with nothing else needed): an integration that
    # provisions tokens must hold it explicitly; a plain write token cannot mint tokens.
    TOKENS_CREATE = "tokens:create", "Create API tokens (provisioning integrations)"


class ApiTokenQuerySet(RooftopScopedQuerySet):
    rooftop_lookup = "user__rooftops"


def hash_token(raw_token: str) -> str:
    """Tokens are 256-bit random strings, so a fast unsalted hash is safe to store."""
    return hashlib.sha256(raw_token.encode()).hexdigest()


class ApiToken(models.Model):
    """A credential for an integration. Only the SHA-256 of the secret is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, help_text="First characters, to recognise a token.")
    token_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_by_token = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        related_name="children",
        null=True,
        blank=True,
        help_text="The token that created this one: revoking it revokes this one too.",
    )
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[ApiTokenQuerySet] = ApiTokenQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def allows(self, scope: str) -> bool:
        return scope in self.scopes


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    REVOKED = "revoked", "Revoked"
    EXPIRED = "expired", "Expired"


class InvitationQuerySet(RooftopScopedQuerySet):
    rooftop_lookup = "rooftops__pk"  # "__": an invitation to two rooftops is listed once


class Invitation(models.Model):
    """An invitation to join: the invitee sets their own password from a one-time link.

    Only the SHA-256 of the link's secret is stored; sending again replaces the secret, so
    an earlier link stops working. The user account exists only once the link is used.
    """

    email = models.EmailField()
    full_name = models.CharField(max_length=150)
    roles = models.JSONField(default=list, help_text="Role (group) names given on acceptance.")
    rooftops = models.ManyToManyField(Rooftop, related_name="invitations", blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, related_name="invitation", null=True, blank=True
    )

    objects: ClassVar[InvitationQuerySet] = InvitationQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["email"],
                condition=models.Q(status="pending"),
                name="one_pending_invitation_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.email}"

    @property
    def is_usable(self) -> bool:
        return self.status == InvitationStatus.PENDING and self.expires_at > timezone.now()
