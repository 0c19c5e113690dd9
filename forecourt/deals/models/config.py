"""A rooftop's deal settings: tax rules, the fee table, commission plans, invoice numbers.

Tax rules are per jurisdiction area, not per rooftop: a rooftop names its area in its
DealSettings (e.g. "US-IL-COOK-CHICAGO") and every rule whose area is a prefix of it
applies (state "US-IL", county "US-IL-COOK", city "US-IL-COOK-CHICAGO").
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from forecourt.core.permissions import RooftopScopedQuerySet
from forecourt.deals.calc.commission import Plan, PlanKind
from forecourt.deals.calc.us_tax import LineKind, TradeCredit
from forecourt.deals.calc.us_tax import TaxRule as TaxRuleValues

MONEY: dict[str, Any] = {"max_digits": 12, "decimal_places": 2}
NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


class DealSettings(models.Model):
    """Per-rooftop deal settings (created with defaults on first use)."""

    rooftop = models.OneToOneField(
        "accounts.Rooftop", on_delete=models.CASCADE, related_name="deal_settings"
    )
    tax_area = models.CharField(
        max_length=80, blank=True, help_text='US: the jurisdiction, e.g. "US-IL-COOK-CHICAGO".'
    )
    doc_fee_cap = models.DecimalField(
        **MONEY, null=True, blank=True, validators=NON_NEGATIVE,
        help_text="The state's cap on the documentation fee; blank when uncapped.",
    )  # fmt: skip
    discount_limit = models.DecimalField(
        **MONEY, null=True, blank=True, validators=NON_NEGATIVE,
        help_text="A larger dealer discount needs a manager's approval.",
    )  # fmt: skip
    vat_rate = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("20.00"))
    invoice_prefix = models.CharField(max_length=12, blank=True, default="INV-")
    last_invoice_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "deal settings"

    def __str__(self) -> str:
        return f"Deal settings of rooftop {self.rooftop_id}"


class TaxRule(models.Model):
    """One version of one jurisdiction's sales-tax rule. A change is a new version (a new
    effective date); rows in force on a past deal's date stay as they were."""

    area = models.CharField(max_length=80, help_text='"US-IL" (state), "US-IL-COOK" (county)...')
    level = models.CharField(
        max_length=10,
        choices=[(v, v.title()) for v in ("state", "county", "city", "district")],
    )
    name = models.CharField(max_length=80)
    rate = models.DecimalField(max_digits=7, decimal_places=5, help_text="0.0625 for 6.25 %.")
    trade_credit = models.CharField(
        max_length=8, choices=[(t.value, t.value.title()) for t in TradeCredit],
        default=TradeCredit.FULL.value,
    )  # fmt: skip
    trade_credit_cap = models.DecimalField(**MONEY, null=True, blank=True)
    trade_credit_percent = models.DecimalField(
        max_digits=5, decimal_places=4, null=True, blank=True, help_text="0.5 credits half."
    )
    doc_fee_taxable = models.BooleanField(default=True)
    rebates_taxable = models.BooleanField(
        default=True, help_text="Tax is on the price before a manufacturer rebate."
    )
    accessories_taxable = models.BooleanField(default=True)
    service_contracts_taxable = models.BooleanField(default=False)
    effective_from = models.DateField(default=timezone.localdate)
    effective_to = models.DateField(null=True, blank=True)
    citation = models.CharField(max_length=300)
    needs_confirmation = models.BooleanField(
        default=True, help_text="Shipped with Forecourt: the dealer must confirm it."
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["area", "level", "name", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "level", "name", "effective_from"],
                name="tax_rule_version",
                violation_error_message="A version of this rule already starts on this date.",
            ),
            models.CheckConstraint(condition=Q(rate__gte=0) & Q(rate__lt=1), name="tax_rate_range"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.rate} from {self.effective_from}"

    def values(self) -> TaxRuleValues:
        return TaxRuleValues(
            name=self.name,
            level=self.level,
            rate=self.rate,
            trade_credit=TradeCredit(self.trade_credit),
            trade_credit_cap=self.trade_credit_cap,
            trade_credit_percent=self.trade_credit_percent,
            doc_fee_taxable=self.doc_fee_taxable,
            rebates_taxable=self.rebates_taxable,
            accessories_taxable=self.accessories_taxable,
            service_contracts_taxable=self.service_contracts_taxable,
            effective_from=self.effective_from,
            effective_to=self.effective_to,
            citation=self.citation,
        )


FEE_KINDS = [
    (LineKind.DOC_FEE.value, "Documentation fee"),
    (LineKind.GOVERNMENT_FEE.value, "Government fee (title, registration, plate, VED)"),
    (LineKind.OTHER_FEE.value, "Other fee (delivery...)"),
]


class Fee(models.Model):
    """A row of the rooftop's fee table."""

    rooftop = models.ForeignKey("accounts.Rooftop", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=16, choices=FEE_KINDS)
    amount = models.DecimalField(**MONEY, validators=NON_NEGATIVE)
    taxable = models.BooleanField(
        default=False, help_text="Other fees only; the doc fee follows the tax rule."
    )
    added_by_default = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)

    objects: ClassVar[RooftopScopedQuerySet] = RooftopScopedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["rooftop", "name"]
        constraints = [models.UniqueConstraint(fields=["rooftop", "name"], name="fee_name")]

    def __str__(self) -> str:
        return f"{self.name} {self.amount}"


class CommissionPlan(models.Model):
    rooftop = models.ForeignKey("accounts.Rooftop", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=8, choices=[(k.value, k.value.title()) for k in PlanKind])
    flat = models.DecimalField(**MONEY, default=Decimal("0"), validators=NON_NEGATIVE)
    percent = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"))
    mini = models.DecimalField(**MONEY, default=Decimal("0"), validators=NON_NEGATIVE)

    objects: ClassVar[RooftopScopedQuerySet] = RooftopScopedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["rooftop", "name"]

    def __str__(self) -> str:
        return self.name

    def values(self) -> Plan:
        return Plan(PlanKind(self.kind), self.flat, self.percent, self.mini)


class InvoiceNumber(models.Model):
    """A number of the rooftop's one sales-invoice series. Never deleted nor reused: a
    cancelled number stays with its reason."""

    rooftop = models.ForeignKey("accounts.Rooftop", on_delete=models.PROTECT, related_name="+")
    sequence = models.PositiveIntegerField()
    number = models.CharField(max_length=32)
    deal = models.ForeignKey("deals.Deal", on_delete=models.PROTECT, related_name="invoices")
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)

    objects: ClassVar[RooftopScopedQuerySet] = RooftopScopedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["rooftop", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["rooftop", "sequence"], name="invoice_sequence"),
            models.UniqueConstraint(
                fields=["deal"], condition=Q(cancelled_at__isnull=True),
                name="one_current_invoice_per_deal",
                violation_error_message="This deal already has an invoice.",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.number
