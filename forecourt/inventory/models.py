"""Vehicles (units) and what happens to them: prices, statuses, costs, holds.

Every write goes through forecourt/inventory/actions. Indexes on the vehicles table are
few and deliberate (at most 8): each is justified in docs/performance.md.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, ClassVar, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, ExpressionWrapper, F, Q, Value, When
from django.db.models.functions import Coalesce, Now, TruncDate
from django.utils import timezone

from forecourt.core.permissions import RooftopScopedQuerySet

# The sub-domains' models belong to this app: importing them here registers them with it.
from forecourt.inventory.imports.models import ImportJob as ImportJob
from forecourt.inventory.imports.models import ImportMode as ImportMode
from forecourt.inventory.imports.models import ImportStatus as ImportStatus
from forecourt.inventory.media.models import FeedRun as FeedRun
from forecourt.inventory.media.models import RooftopDisclosure as RooftopDisclosure
from forecourt.inventory.media.models import VehiclePhoto as VehiclePhoto
from forecourt.inventory.media.models import VehicleWarranty as VehicleWarranty
from forecourt.inventory.media.models import WarrantyKind as WarrantyKind

MONEY: dict[str, Any] = {"max_digits": 12, "decimal_places": 2}
NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


class Condition(models.TextChoices):
    NEW = "new", "New"
    USED = "used", "Used"
    CERTIFIED = "certified", "Certified pre-owned"


class Status(models.TextChoices):
    INCOMING = "incoming", "Incoming"
    IN_RECONDITIONING = "in_reconditioning", "In reconditioning"
    AVAILABLE = "available", "Available"
    ON_HOLD = "on_hold", "On hold"
    SOLD = "sold", "Sold"
    DELIVERED = "delivered", "Delivered"
    WHOLESALE = "wholesale", "Wholesale"
    REMOVED = "removed", "Removed"


# A unit is "active" (counts for VIN uniqueness) until it has left the dealer for good.
INACTIVE_STATUSES = (Status.DELIVERED, Status.WHOLESALE, Status.REMOVED)
ACTIVE_STATUSES = tuple(s for s in Status if s not in INACTIVE_STATUSES)
# Statuses that end a unit's time in stock (days in stock stops counting).
OUT_OF_STOCK_STATUSES = (Status.SOLD, Status.DELIVERED, Status.WHOLESALE, Status.REMOVED)


class Drivetrain(models.TextChoices):
    FWD = "fwd", "Front-wheel drive"
    RWD = "rwd", "Rear-wheel drive"
    AWD = "awd", "All-wheel drive"
    FOUR_WD = "4wd", "Four-wheel drive"


class Transmission(models.TextChoices):
    AUTOMATIC = "automatic", "Automatic"
    MANUAL = "manual", "Manual"
    CVT = "cvt", "CVT"
    DUAL_CLUTCH = "dual_clutch", "Dual-clutch"


class FuelType(models.TextChoices):
    GASOLINE = "gasoline", "Gasoline"
    DIESEL = "diesel", "Diesel"
    HYBRID = "hybrid", "Hybrid"
    PLUG_IN_HYBRID = "plug_in_hybrid", "Plug-in hybrid"
    ELECTRIC = "electric", "Electric"
    FLEX = "flex", "Flex fuel"
    OTHER = "other", "Other"


class OdometerBrand(models.TextChoices):
    ACTUAL = "actual", "Actual mileage"
    EXCEEDS_LIMITS = "exceeds_limits", "Exceeds mechanical limits"
    NOT_ACTUAL = "not_actual", "Not actual mileage"


class TitleStatus(models.TextChoices):
    CLEAR = "clear", "Clear"
    LIEN = "lien", "Lien (payoff pending)"
    PENDING = "pending", "Title pending"
    MISSING = "missing", "Missing"


class TitleBrand(models.TextChoices):
    NONE = "none", "None"
    SALVAGE = "salvage", "Salvage"
    REBUILT = "rebuilt", "Rebuilt/reconstructed"
    FLOOD = "flood", "Flood"
    LEMON = "lemon", "Lemon buyback"
    JUNK = "junk", "Junk"
    HAIL = "hail", "Hail damage"


class AcquisitionSource(models.TextChoices):
    TRADE_IN = "trade_in", "Trade-in"
    AUCTION = "auction", "Auction"
    PURCHASE = "purchase", "Purchase"
    CONSIGNMENT = "consignment", "Consignment"
    LEASE_RETURN = "lease_return", "Lease return"


class AgingBucket(models.TextChoices):
    UP_TO_30 = "0-30", "0-30 days"
    UP_TO_60 = "31-60", "31-60 days"
    UP_TO_90 = "61-90", "61-90 days"
    OVER_90 = "90+", "Over 90 days"


def aging_bucket(days: int) -> AgingBucket:
    if days <= 30:
        return AgingBucket.UP_TO_30
    if days <= 60:
        return AgingBucket.UP_TO_60
    if days <= 90:
        return AgingBucket.UP_TO_90
    return AgingBucket.OVER_90


class VehicleQuerySet(RooftopScopedQuerySet):
    def active(self) -> Self:
        return self.filter(status__in=ACTIVE_STATUSES)

    def with_days_in_stock(self) -> Self:
        """Annotate `days_in_stock_db` and `aging_bucket_db` (for reports and sorting)."""
        end = Coalesce(TruncDate("sold_at"), TruncDate(Now()))
        days = ExpressionWrapper(end - F("acquired_on"), output_field=models.DurationField())
        annotated = self.annotate(stock_age=days)
        return annotated.annotate(
            aging_bucket_db=Case(
                When(stock_age__lte=_days(30), then=Value(AgingBucket.UP_TO_30.value)),
                When(stock_age__lte=_days(60), then=Value(AgingBucket.UP_TO_60.value)),
                When(stock_age__lte=_days(90), then=Value(AgingBucket.UP_TO_90.value)),
                default=Value(AgingBucket.OVER_90.value),
                output_field=models.CharField(),
            )
        )


def _days(n: int) -> Value:
    return Value(timedelta(days=n), output_field=models.DurationField())


class Vehicle(models.Model):
    """One unit in a rooftop's inventory."""

    rooftop = models.ForeignKey(
        "accounts.Rooftop",
        on_delete=models.PROTECT,
        related_name="vehicles",
        db_index=False,  # the (rooftop, stock_number) unique index leads with it
    )
    vin = models.CharField("VIN", max_length=17)
    stock_number = models.CharField(max_length=32)
    condition = models.CharField(max_length=10, choices=Condition.choices, default=Condition.USED)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.INCOMING)

    year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    make = models.CharField(max_length=40)
    model = models.CharField(max_length=60)
    trim = models.CharField(max_length=60, blank=True)
    body_style = models.CharField(max_length=40, blank=True)
    drivetrain = models.CharField(max_length=4, choices=Drivetrain.choices, blank=True)
    engine = models.CharField(max_length=60, blank=True)
    transmission = models.CharField(max_length=12, choices=Transmission.choices, blank=True)
    fuel_type = models.CharField(max_length=16, choices=FuelType.choices, blank=True)
    exterior_color = models.CharField(max_length=40, blank=True)
    interior_color = models.CharField(max_length=40, blank=True)

    odometer = models.PositiveIntegerField(default=0, help_text="Miles.")
    odometer_brand = models.CharField(
        max_length=16, choices=OdometerBrand.choices, default=OdometerBrand.ACTUAL
    )
    title_status = models.CharField(
        max_length=10, choices=TitleStatus.choices, default=TitleStatus.CLEAR
    )
    title_brand = models.CharField(max_length=10, choices=TitleBrand.choices, default="none")

    acquisition_source = models.CharField(max_length=16, choices=AcquisitionSource.choices)
    acquired_on = models.DateField(default=date.today)
    acquisition_cost = models.DecimalField(**MONEY, default=Decimal("0"), validators=NON_NEGATIVE)
    list_price = models.DecimalField(**MONEY, default=Decimal("0"), validators=NON_NEGATIVE)
    internet_price = models.DecimalField(**MONEY, null=True, blank=True, validators=NON_NEGATIVE)
    floor_price = models.DecimalField(
        **MONEY,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
        help_text="The lowest price a salesperson may accept without a manager.",
    )

    lot_location = models.CharField(max_length=40, blank=True)
    key_tag = models.CharField(max_length=20, blank=True)
    notes = models.TextField(blank=True)
    is_published = models.BooleanField(default=False, help_text="Shown on the website and feeds.")

    sold_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(
        default=1, help_text="Incremented on every change: optimistic concurrency (If-Match)."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[VehicleQuerySet] = VehicleQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-acquired_on", "-id"]
        permissions = [
            ("hold_vehicle", "Can place and release holds on vehicles"),
            ("change_vehicle_price", "Can change vehicle prices"),
            ("change_vehicle_status", "Can change vehicle status (sell, deliver, wholesale...)"),
            ("view_vehicle_cost", "Can see acquisition and added costs"),
            ("record_vehicle_odometer", "Can record a new odometer reading (test drives)"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["rooftop", "stock_number"], name="vehicle_stock_number_per_rooftop"
            ),
            models.UniqueConstraint(
                fields=["vin"],
                condition=Q(status__in=[s.value for s in ACTIVE_STATUSES]),
                name="vehicle_vin_unique_active",
                violation_error_message="An active vehicle with this VIN is already in stock.",
            ),
            models.CheckConstraint(
                condition=Q(list_price__gte=0)
                & Q(acquisition_cost__gte=0)
                & (Q(internet_price__isnull=True) | Q(internet_price__gte=0))
                & (Q(floor_price__isnull=True) | Q(floor_price__gte=0)),
                name="vehicle_money_not_negative",
            ),
        ]
        indexes = [
            # The hot list: one status, sorted by price or by age, keyset on id.
            models.Index(fields=["status", "list_price", "id"], name="vehicle_status_price"),
            models.Index(fields=["status", "acquired_on", "id"], name="vehicle_status_age"),
            # A make filter with a status, sorted by price: page 1 and any later page read
            # only their own rows (on vehicle_status_price a deep page of a rare make would
            # read past every other make's rows first). Also serves make/model filters.
            models.Index(
                fields=["make", "status", "list_price", "id"], name="vehicle_make_status_price"
            ),
            # PostgreSQL only (migration 0002): VIN suffix (reverse) and stock-number prefix.
        ]

    def __str__(self) -> str:
        return f"{self.stock_number} {self.year} {self.make} {self.model}"

    def clean(self) -> None:
        """A model year at most two years ahead: 2062 for 2026 is a typo, not a car."""
        latest = timezone.localdate().year + 2
        if isinstance(self.year, int) and self.year > latest:
            raise ValidationError(
                {"year": f"A model year after {latest} is not on sale yet; check for a typo."}
            )

    @property
    def title(self) -> str:
        return " ".join(str(p) for p in (self.year, self.make, self.model, self.trim) if p)

    @property
    def added_costs_total(self) -> Decimal:
        total = self.costs.aggregate(total=models.Sum("amount"))["total"]
        return total or Decimal("0.00")

    @property
    def true_cost(self) -> Decimal:
        """Acquisition cost plus every added cost (reconditioning, transport, ...)."""
        return self.acquisition_cost + self.added_costs_total

    @property
    def days_in_stock(self) -> int:
        end = timezone.localdate(self.sold_at) if self.sold_at else timezone.localdate()
        return max(0, (end - self.acquired_on).days)

    @property
    def aging_bucket(self) -> AgingBucket:
        return aging_bucket(self.days_in_stock)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def etag(self) -> str:
        return f'"{self.version}"'


class VehicleChildQuerySet(RooftopScopedQuerySet):
    rooftop_lookup = "vehicle__rooftop"


class VehiclePriceChange(models.Model):
    """Price history: one row per change of any of the three prices."""

    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="price_changes")
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    field = models.CharField(max_length=20)  # list_price | internet_price | floor_price
    old_price = models.DecimalField(**MONEY, null=True)
    new_price = models.DecimalField(**MONEY, null=True)
    reason = models.CharField(max_length=200, blank=True)

    objects: ClassVar[VehicleChildQuerySet] = VehicleChildQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_price} -> {self.new_price}"

    @property
    def field_label(self) -> str:
        """ "List price" for list_price: the vehicle field's own name."""
        field = Vehicle._meta.get_field(self.field)
        return str(getattr(field, "verbose_name", self.field)).capitalize()


class VehicleStatusChange(models.Model):
    """Status history: who moved the unit from which status to which, when and why."""

    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="status_changes")
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    reason = models.CharField(max_length=200, blank=True)

    objects: ClassVar[VehicleChildQuerySet] = VehicleChildQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} -> {self.to_status}"


class CostKind(models.TextChoices):
    RECONDITIONING = "reconditioning", "Reconditioning"
    PARTS = "parts", "Parts"
    LABOR = "labor", "Labor"
    TRANSPORT = "transport", "Transport"
    AUCTION_FEE = "auction_fee", "Auction fee"
    PACK = "pack", "Pack"
    OTHER = "other", "Other"


class VehicleCost(models.Model):
    """A cost added to a unit after acquisition; true cost = acquisition + these."""

    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="costs")
    kind = models.CharField(max_length=16, choices=CostKind.choices)
    vendor = models.CharField(max_length=120, blank=True)
    incurred_on = models.DateField(default=date.today)
    amount = models.DecimalField(**MONEY, validators=NON_NEGATIVE)
    description = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects: ClassVar[VehicleChildQuerySet] = VehicleChildQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["incurred_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="cost_not_negative")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class VehicleHold(models.Model):
    """A unit held for one deal. At most one active (unreleased) hold per vehicle: the
    database enforces it, so two app processes can never both hold the same unit."""

    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="holds")
    deal_reference = models.CharField(max_length=64)
    customer_name = models.CharField(max_length=120, blank=True)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.CharField(max_length=200, blank=True)

    objects: ClassVar[VehicleChildQuerySet] = VehicleChildQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vehicle"],
                condition=Q(released_at__isnull=True),
                name="one_active_hold_per_vehicle",
                violation_error_message="This vehicle is already on hold for another deal.",
            )
        ]

    def __str__(self) -> str:
        return f"Hold for {self.deal_reference}"

    @property
    def is_active(self) -> bool:
        return self.released_at is None and self.expires_at > timezone.now()


class StockNumberSettings(models.Model):
    """Per-rooftop stock-number pattern and its counter (a locked row: safe across processes).

    Placeholders: {rooftop_code} {yy} {yyyy} {seq} (with a format spec, e.g. {seq:05d})
    and {vin6} (the last six characters of the VIN).
    """

    # Year and a per-rooftop sequence ("260042"): short enough to say on the phone and write
    # on a key tag; unique within the rooftop, which is where stock numbers must be unique.
    DEFAULT_PATTERN = "{yy}{seq:04d}"

    rooftop = models.OneToOneField(
        "accounts.Rooftop", on_delete=models.CASCADE, related_name="stock_number_settings"
    )
    pattern = models.CharField(max_length=64, default=DEFAULT_PATTERN)
    last_sequence = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name_plural = "stock number settings"

    def __str__(self) -> str:
        return f"{self.rooftop_id}: {self.pattern}"


class FloorAboveList(models.TextChoices):
    CONFIRM = "confirm", "Ask for confirmation"
    REFUSE = "refuse", "Refuse"


class PricePolicy(models.Model):
    """A rooftop's pricing rules. A floor price (the least a unit may go for) above its list
    price is usually a typo: the rooftop either asks to confirm it or refuses it."""

    rooftop = models.OneToOneField(
        "accounts.Rooftop", on_delete=models.CASCADE, related_name="price_policy"
    )
    floor_above_list = models.CharField(
        max_length=8, choices=FloorAboveList.choices, default=FloorAboveList.CONFIRM
    )

    class Meta:
        verbose_name_plural = "price policies"

    def __str__(self) -> str:
        return f"{self.rooftop_id}: floor above list {self.floor_above_list}"
