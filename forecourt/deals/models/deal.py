"""The deal and what hangs off it: salespeople, priced lines, trade-ins, payments, history.

Every write goes through forecourt/deals/actions/. Lines, trades and payments are never
edited once the deal is approved; an unwind reverses by new records (reversal payments,
a status change), never by editing the old ones.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from forecourt.core.permissions import RooftopScopedQuerySet
from forecourt.deals.calc.uk_vat import VatTreatment
from forecourt.deals.models.config import MONEY, NON_NEGATIVE, CommissionPlan, Fee


class DealStatus(models.TextChoices):
    QUOTE = "quote", "Quote"
    PENDING_APPROVAL = "pending_approval", "Pending approval"
    APPROVED = "approved", "Approved"
    CONTRACTED = "contracted", "Contracted"
    DELIVERED = "delivered", "Delivered"
    CANCELLED = "cancelled", "Cancelled"
    UNWOUND = "unwound", "Unwound"


# A deal in these statuses owns its vehicle: the database allows one per vehicle.
LIVE_STATUSES = (DealStatus.CONTRACTED, DealStatus.DELIVERED)
# Numbers (price, lines, trades) are locked from approval on.
LOCKED_STATUSES = (
    DealStatus.APPROVED, DealStatus.CONTRACTED, DealStatus.DELIVERED,
    DealStatus.CANCELLED, DealStatus.UNWOUND,
)  # fmt: skip


class SaleType(models.TextChoices):
    CASH = "cash", "Cash"
    FINANCE = "finance", "Finance"
    LEASE = "lease", "Lease"
    WHOLESALE = "wholesale", "Wholesale"
    HP = "hp", "Hire purchase (HP)"
    PCP = "pcp", "Personal contract purchase (PCP)"
    TRADE = "trade", "Trade/wholesale"


SALE_TYPES_BY_COUNTRY = {
    "US": (SaleType.CASH, SaleType.FINANCE, SaleType.LEASE, SaleType.WHOLESALE),
    "GB": (SaleType.CASH, SaleType.HP, SaleType.PCP, SaleType.TRADE),
}


class DealQuerySet(RooftopScopedQuerySet):
    def live(self) -> DealQuerySet:
        return self.filter(status__in=LIVE_STATUSES)


class Deal(models.Model):
    rooftop = models.ForeignKey(
        "accounts.Rooftop", on_delete=models.PROTECT, related_name="deals", db_index=False
    )
    vehicle = models.ForeignKey("inventory.Vehicle", on_delete=models.PROTECT, related_name="deals")
    buyer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="deals")
    co_buyer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lead = models.ForeignKey(
        "leads.Lead", on_delete=models.SET_NULL, null=True, blank=True, related_name="deals"
    )
    sale_type = models.CharField(max_length=10, choices=SaleType.choices, default=SaleType.CASH)
    status = models.CharField(max_length=20, choices=DealStatus.choices, default=DealStatus.QUOTE)

    price = models.DecimalField(**MONEY, validators=NON_NEGATIVE)
    discount = models.DecimalField(**MONEY, default=Decimal("0"), validators=NON_NEGATIVE)
    vat_treatment = models.CharField(
        max_length=8, blank=True, choices=[(v.value, v.value.title()) for v in VatTreatment],
        help_text="UK: blank follows the vehicle (deals.vat.vat_treatment_for); set to override.",
    )  # fmt: skip
    sale_date = models.DateField(default=timezone.localdate)
    delivery_date = models.DateField(null=True, blank=True)

    approval_reasons = models.JSONField(default=list, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # Odometer disclosure, captured at delivery.
    delivery_odometer = models.PositiveIntegerField(null=True, blank=True)
    delivery_odometer_brand = models.CharField(max_length=16, blank=True)
    # The numbers as delivered (totals, gross, VAT): reports read these, later cost changes
    # on the vehicle do not rewrite a delivered deal.
    delivered_numbers = models.JSONField(default=dict, blank=True)

    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[DealQuerySet] = DealQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [
            ("approve_deal", "Can approve deals that need a manager"),
            ("unwind_deal", "Can unwind a delivered deal"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["vehicle"],
                condition=Q(status__in=[s.value for s in LIVE_STATUSES]),
                name="one_live_deal_per_vehicle",
                violation_error_message="Another deal has already contracted this vehicle.",
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0) & Q(discount__gte=0), name="deal_money_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["rooftop", "status", "-created_at", "-id"], name="deal_list"),
            models.Index(fields=["-created_at", "-id"], name="deal_recent"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"D-{self.pk}" if self.pk else "D-new"

    @property
    def etag(self) -> str:
        return f'"{self.version}"'

    @property
    def is_locked(self) -> bool:
        return self.status in LOCKED_STATUSES


class DealChildQuerySet(RooftopScopedQuerySet):
    rooftop_lookup = "deal__rooftop"


class DealSalesperson(models.Model):
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="salespeople")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    share = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("100"))
    plan = models.ForeignKey(CommissionPlan, on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        ordering = ["-share", "id"]
        constraints = [models.UniqueConstraint(fields=["deal", "user"], name="deal_salesperson")]

    def __str__(self) -> str:
        return f"{self.user} {self.share}%"


class LineKindChoice(models.TextChoices):
    ACCESSORY = "accessory", "Accessory / add-on"
    SERVICE_CONTRACT = "service_contract", "Service contract"
    DOC_FEE = "doc_fee", "Documentation fee"
    GOVERNMENT_FEE = "government_fee", "Government fee"
    OTHER_FEE = "other_fee", "Other fee"
    REBATE = "rebate", "Manufacturer rebate"


FEE_LINE_KINDS = (LineKindChoice.DOC_FEE, LineKindChoice.GOVERNMENT_FEE, LineKindChoice.OTHER_FEE)


class DealLine(models.Model):
    """An add-on, a fee (from the rooftop's fee table) or a manufacturer rebate."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=16, choices=LineKindChoice.choices)
    description = models.CharField(max_length=120)
    amount = models.DecimalField(**MONEY, validators=NON_NEGATIVE)
    cost = models.DecimalField(**MONEY, default=Decimal("0"), validators=NON_NEGATIVE)
    taxable = models.BooleanField(default=True)
    fee = models.ForeignKey(Fee, on_delete=models.PROTECT, null=True, blank=True)

    objects: ClassVar[DealChildQuerySet] = DealChildQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(cost__gte=0), name="deal_line_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.description} {self.amount}"


class TradeIn(models.Model):
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="trades")
    vin = models.CharField("VIN", max_length=17, blank=True)
    plate = models.CharField(max_length=12, blank=True)
    year = models.PositiveSmallIntegerField()
    make = models.CharField(max_length=40)
    model = models.CharField(max_length=60)
    odometer = models.PositiveIntegerField(default=0)
    acv = models.DecimalField("ACV", **MONEY, validators=NON_NEGATIVE)
    allowance = models.DecimalField(**MONEY, validators=NON_NEGATIVE)
    payoff = models.DecimalField(**MONEY, default=Decimal("0"), validators=NON_NEGATIVE)
    lienholder = models.CharField(max_length=120, blank=True)
    payoff_good_through = models.DateField(null=True, blank=True)
    roll_negative_equity = models.BooleanField(
        default=False, help_text="A payoff above the allowance is added to the deal's balance."
    )
    # The unit this trade became in inventory (at delivery).
    vehicle = models.ForeignKey(
        "inventory.Vehicle", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[DealChildQuerySet] = DealChildQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.year} {self.make} {self.model}"

    @property
    def over_allowance(self) -> Decimal:
        return self.allowance - self.acv

    @property
    def equity(self) -> Decimal:
        return self.allowance - self.payoff


class PaymentMethod(models.TextChoices):
    CASH = "cash", "Cash"
    CASHIERS_CHECK = "cashiers_check", "Cashier's check / banker's draft"
    CARD = "card", "Card"
    CHEQUE = "cheque", "Personal cheque"
    BANK_TRANSFER = "bank_transfer", "Bank transfer"


# IRS Form 8300 "cash": currency and (in a designated reporting transaction, such as a
# vehicle sale) cashier's checks of 10,000 or less. docs/deals.md.
REPORTABLE_CASH = (PaymentMethod.CASH, PaymentMethod.CASHIERS_CHECK)


class Payment(models.Model):
    """A deposit or payment taken; an unwind adds a reversal (negative amount) instead of
    editing it."""

    deal = models.ForeignKey(Deal, on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(max_length=16, choices=PaymentMethod.choices)
    amount = models.DecimalField(**MONEY)
    reference = models.CharField(max_length=80, blank=True)
    receipt_number = models.CharField(max_length=32, unique=True)
    received_at = models.DateTimeField(default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversal"
    )

    objects: ClassVar[DealChildQuerySet] = DealChildQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["received_at", "id"]

    def __str__(self) -> str:
        return f"{self.receipt_number} {self.amount}"


class DealStatusChange(models.Model):
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="history")
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    from_status = models.CharField(max_length=20, choices=DealStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=DealStatus.choices)
    reason = models.CharField(max_length=300, blank=True)

    objects: ClassVar[DealChildQuerySet] = DealChildQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} -> {self.to_status}"


class TaskKind(models.TextChoices):
    FORM_8300 = "form_8300", "IRS Form 8300 (cash over $10,000)"


class ComplianceTask(models.Model):
    """Something the law asks the dealer to do about a deal, by a date."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(max_length=16, choices=TaskKind.choices)
    due_on = models.DateField()
    detail = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[DealChildQuerySet] = DealChildQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["deal", "kind"], condition=Q(completed_at__isnull=True),
                name="one_open_task_per_kind",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.get_kind_display()} due {self.due_on}"
