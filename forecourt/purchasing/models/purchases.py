"""Buying: sellers, purchase invoices and their vehicles (with the incoming checklist).

Every write goes through forecourt/purchasing/actions.py. The sub-domains keep their own
models (stocking/, recon/, condition/); they are imported by models/__init__.py so Django sees them
as this app's models.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from forecourt.core.permissions import RooftopScopedQuerySet

MONEY: dict[str, Any] = {"max_digits": 12, "decimal_places": 2}
ZERO = Decimal("0.00")


class SellerKind(models.TextChoices):
    AUCTION = "auction", "Auction house"
    WHOLESALER = "wholesaler", "Wholesaler"
    DEALER = "dealer", "Other dealer"
    PRIVATE = "private", "Private seller"
    LEASE_FLEET = "lease_fleet", "Lease / fleet company"


class Seller(models.Model):
    """Whom a rooftop buys from. A private seller is one of the rooftop's customers."""

    rooftop = models.ForeignKey("accounts.Rooftop", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=SellerKind.choices)
    name = models.CharField(max_length=200)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contact_name = models.CharField(max_length=120, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    address = models.TextField(blank=True)
    vat_number = models.CharField("VAT / tax number", max_length=32, blank=True)
    notes = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects: ClassVar[RooftopScopedQuerySet] = RooftopScopedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="private", customer__isnull=False)
                | (~Q(kind="private") & Q(customer__isnull=True)),
                name="seller_private_is_a_customer",
                violation_error_message="A private seller is a customer; other sellers are not.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class PaymentStatus(models.TextChoices):
    UNPAID = "unpaid", "Unpaid"
    PART_PAID = "part_paid", "Part paid"
    PAID = "paid", "Paid"


class PaymentMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", "Bank transfer"
    CHECK = "check", "Check / cheque"
    CASH = "cash", "Cash"
    CARD = "card", "Card"
    FLOOR_PLAN = "floor_plan", "Floor plan (lender pays)"
    OTHER = "other", "Other"


class VatTreatment(models.TextChoices):
    """UK only: how the unit is sold on (HMRC VAT Notice 718/1)."""

    MARGIN = "margin", "Second-hand margin scheme"
    STANDARD = "standard", "VAT-qualifying (VAT on the full price)"


class PurchaseQuerySet(RooftopScopedQuerySet):
    pass


class PurchaseInvoice(models.Model):
    """One purchase from one seller: one or more vehicles, each with its price and fees."""

    rooftop = models.ForeignKey("accounts.Rooftop", on_delete=models.PROTECT, related_name="+")
    seller = models.ForeignKey(Seller, on_delete=models.PROTECT, related_name="purchases")
    seller_reference = models.CharField(
        max_length=64, blank=True, help_text="The seller's invoice or lot number."
    )
    our_number = models.CharField(
        max_length=32,
        blank=True,
        help_text="The dealer's own purchase invoice number (private sellers).",
    )
    purchased_on = models.DateField(default=timezone.localdate)
    payment_status = models.CharField(
        max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.UNPAID
    )
    payment_method = models.CharField(max_length=16, choices=PaymentMethod.choices, blank=True)
    amount_paid = models.DecimalField(**MONEY, default=ZERO)
    bill_of_sale_received = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects: ClassVar[PurchaseQuerySet] = PurchaseQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-purchased_on", "-id"]
        # Delivering a deal records its trades' purchases; desking roles hold this, not
        # add_purchaseinvoice (which buys stock).
        permissions = [("record_trade_in", "Record a trade-in's purchase at a deal's delivery")]
        constraints = [
            models.UniqueConstraint(
                fields=["rooftop", "our_number"],
                condition=~Q(our_number=""),
                name="purchase_our_number_per_rooftop",
            ),
            models.CheckConstraint(
                condition=Q(amount_paid__gte=0), name="purchase_paid_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"Purchase {self.our_number or self.seller_reference or self.pk} from {self.seller}"

    @property
    def etag(self) -> str:
        return f'"{self.version}"'


class LineQuerySet(RooftopScopedQuerySet):
    rooftop_lookup = "invoice__rooftop"

    def incoming(self) -> LineQuerySet:
        """Bought, not here yet or still missing something."""
        return self.filter(
            Q(arrived_on__isnull=True)
            | Q(has_keys=False)
            | Q(has_second_key=False)
            | Q(has_registration_document=False)
            | Q(has_service_history=False)
            | Q(has_inspection=False)
        )


# The incoming checklist: field -> label (the V5C in the UK, the title in the US).
CHECKLIST = (
    "has_keys",
    "has_second_key",
    "has_registration_document",
    "has_service_history",
    "has_inspection",
)


class PurchaseLine(models.Model):
    """One vehicle of a purchase: its price, fees, VAT treatment, paperwork and arrival."""

    invoice = models.ForeignKey(PurchaseInvoice, on_delete=models.CASCADE, related_name="lines")
    vehicle = models.ForeignKey("inventory.Vehicle", on_delete=models.PROTECT, related_name="+")
    price = models.DecimalField(**MONEY)
    vat_amount = models.DecimalField(
        **MONEY, default=ZERO, help_text="VAT shown on a VAT-qualifying purchase (reclaimable)."
    )
    vat_treatment = models.CharField(max_length=10, choices=VatTreatment.choices, blank=True)
    buyer_fee = models.DecimalField(**MONEY, default=ZERO)
    transport_fee = models.DecimalField(**MONEY, default=ZERO)
    # US paperwork
    title_received = models.BooleanField(default=False)
    lien_holder = models.CharField(max_length=120, blank=True)
    lien_payoff = models.DecimalField(**MONEY, default=ZERO)
    # Arrival
    expected_on = models.DateField(null=True, blank=True)
    transport = models.CharField(max_length=120, blank=True)
    coming_from = models.CharField(max_length=200, blank=True)
    arrived_on = models.DateField(null=True, blank=True)
    has_keys = models.BooleanField("Keys", default=False)
    has_second_key = models.BooleanField("Second key", default=False)
    has_registration_document = models.BooleanField("V5C / title", default=False)
    has_service_history = models.BooleanField("Service history", default=False)
    has_inspection = models.BooleanField("MOT / state inspection", default=False)

    objects: ClassVar[LineQuerySet] = LineQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["invoice_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(price__gte=0)
                & Q(vat_amount__gte=0)
                & Q(buyer_fee__gte=0)
                & Q(transport_fee__gte=0)
                & Q(lien_payoff__gte=0),
                name="purchase_line_money_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.vehicle} at {self.price}"

    @property
    def missing(self) -> list[str]:
        items = [
            str(getattr(self._meta.get_field(name), "verbose_name", name))
            for name in CHECKLIST
            if not getattr(self, name)
        ]
        return (["Not arrived"] if self.arrived_on is None else []) + items

    @property
    def net_price(self) -> Decimal:
        """What the unit cost the dealer: the price less reclaimable VAT."""
        return self.price - self.vat_amount


class PurchaseNumberCounter(models.Model):
    """The rooftop's own purchase-invoice series (one locked row: no gaps, no repeats)."""

    rooftop = models.OneToOneField("accounts.Rooftop", on_delete=models.CASCADE, related_name="+")
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.rooftop_id}: {self.last_number}"
