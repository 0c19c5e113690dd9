"""Lenders with their buy rates and reserve rules, F&I products, and product menus.

Every record belongs to one rooftop (lenders and products differ by state and country) and
carries a `version` its actions increment (optimistic concurrency, core/concurrency.py).
The credit application lives in its own room (forecourt/finance/credit/).
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from forecourt.core.permissions import RooftopScopedQuerySet

# The credit room's models belong to this app: importing them here registers them.
from forecourt.finance.credit.models import CreditApplicant, CreditApplication  # noqa: F401
from forecourt.finance.records import RooftopRecord

PERCENT_RANGE = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]
NOT_NEGATIVE = [MinValueValidator(Decimal(0))]


class LenderKind(models.TextChoices):
    BANK = "bank", "Bank"
    CREDIT_UNION = "credit_union", "Credit union"
    CAPTIVE = "captive", "Captive (manufacturer)"
    FINANCE_COMPANY = "finance_company", "Finance company"
    IN_HOUSE = "in_house", "In-house (buy here, pay here)"
    FINANCE_HOUSE = "finance_house", "Finance house (UK)"


class ReserveMethod(models.TextChoices):
    """How the lender pays the dealer for arranging the loan."""

    MARKUP = "markup", "Rate markup (up to a cap)"
    FLAT_FEE = "flat_fee", "Flat fee"
    NONE = "none", "No reserve"


class CreditTier(models.TextChoices):
    SUPER_PRIME = "super_prime", "Super prime (tier 1)"
    PRIME = "prime", "Prime (tier 2)"
    NEAR_PRIME = "near_prime", "Near prime (tier 3)"
    SUBPRIME = "subprime", "Subprime (tier 4)"
    DEEP_SUBPRIME = "deep_subprime", "Deep subprime (tier 5)"


class Lender(RooftopRecord):
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=LenderKind.choices, default=LenderKind.BANK)
    contact_name = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    max_advance_percent = models.DecimalField(
        max_digits=7,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(300))],
        help_text="Most the lender lends, as a percent of the vehicle's selling price.",
    )
    max_term = models.PositiveSmallIntegerField(null=True, blank=True)
    reserve_method = models.CharField(
        max_length=10, choices=ReserveMethod.choices, default=ReserveMethod.MARKUP
    )
    max_markup = models.DecimalField(
        max_digits=7,
        decimal_places=4,
        null=True,
        blank=True,
        validators=PERCENT_RANGE,
        help_text="Percentage points the sell rate may exceed the buy rate.",
    )
    reserve_share_percent = models.DecimalField(
        max_digits=7,
        decimal_places=4,
        default=Decimal("75"),
        validators=PERCENT_RANGE,
        help_text="The dealer's share of the finance charge the markup earns.",
    )
    flat_fee = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, validators=NOT_NEGATIVE
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["rooftop", "name"], name="finance_lender_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class LenderChildQuerySet(RooftopScopedQuerySet):
    rooftop_lookup = "lender__rooftop"


class LenderRate(models.Model):
    """A buy rate: what the lender charges the dealer for a credit tier and a term band."""

    lender = models.ForeignKey(Lender, on_delete=models.CASCADE, related_name="rates")
    credit_tier = models.CharField(max_length=20, choices=CreditTier.choices)
    min_term = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    max_term = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    buy_rate = models.DecimalField(max_digits=7, decimal_places=4, validators=PERCENT_RANGE)

    objects: ClassVar[LenderChildQuerySet] = LenderChildQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["lender", "credit_tier", "min_term"]
        constraints = [
            models.UniqueConstraint(
                fields=["lender", "credit_tier", "min_term"], name="finance_rate_unique_band"
            ),
            models.CheckConstraint(
                condition=models.Q(min_term__lte=models.F("max_term")),
                name="finance_rate_term_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_credit_tier_display()} {self.min_term}-{self.max_term}: {self.buy_rate}%"


class ProductKind(models.TextChoices):
    SERVICE_CONTRACT = "service_contract", "Service contract"
    GAP = "gap", "GAP"
    TIRE_WHEEL = "tire_wheel", "Tyre and wheel"
    APPEARANCE = "appearance", "Paint and fabric"
    KEY_REPLACEMENT = "key_replacement", "Key replacement"
    COSMETIC = "cosmetic", "Cosmetic repair (UK)"
    WARRANTY = "warranty", "Warranty (UK)"
    OTHER = "other", "Other"


class FinanceProduct(RooftopRecord):
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=ProductKind.choices)
    provider = models.CharField(max_length=120, blank=True)
    cost = models.DecimalField(max_digits=12, decimal_places=2, validators=NOT_NEGATIVE)
    price = models.DecimalField(max_digits=12, decimal_places=2, validators=NOT_NEGATIVE)
    min_price = models.DecimalField(max_digits=12, decimal_places=2, validators=NOT_NEGATIVE)
    max_price = models.DecimalField(max_digits=12, decimal_places=2, validators=NOT_NEGATIVE)
    term_months = models.PositiveSmallIntegerField(null=True, blank=True)
    mileage = models.PositiveIntegerField(null=True, blank=True)
    taxable_jurisdictions = models.JSONField(
        default=list,
        blank=True,
        help_text="Codes of the jurisdictions that tax this product, e.g. US-TX.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_price__lte=models.F("price"))
                & models.Q(price__lte=models.F("max_price")),
                name="finance_product_price_in_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def taxable_in(self, jurisdiction: str) -> bool:
        return jurisdiction in self.taxable_jurisdictions

    @property
    def profit(self) -> Decimal:
        return self.price - self.cost


class MenuColumn(models.TextChoices):
    GOOD = "good", "Good"
    BETTER = "better", "Better"
    BEST = "best", "Best"


class ProductMenu(RooftopRecord):
    """A good/better/best menu: the packages an F&I manager presents side by side."""

    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["rooftop", "name"], name="finance_menu_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class MenuChildQuerySet(RooftopScopedQuerySet):
    rooftop_lookup = "menu__rooftop"


class MenuEntry(models.Model):
    menu = models.ForeignKey(ProductMenu, on_delete=models.CASCADE, related_name="entries")
    column = models.CharField(max_length=10, choices=MenuColumn.choices)
    product = models.ForeignKey(FinanceProduct, on_delete=models.PROTECT, related_name="+")
    price = models.DecimalField(max_digits=12, decimal_places=2, validators=NOT_NEGATIVE)

    objects: ClassVar[MenuChildQuerySet] = MenuChildQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["menu", "column", "product__kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["menu", "column", "product"], name="finance_menu_entry_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_column_display()}: {self.product}"


class FinanceContract(RooftopRecord):
    """How a deal is financed: the lender's approval at a buy rate, the sell rate the buyer
    pays, the dealer reserve it earns, and the F&I products sold with it.

    The deals app owns the deal; a contract recorded on a deal names it (`deal`, one per
    deal) and `reference` holds the deal's number; a desk-only contract has no deal.
    """

    deal = models.OneToOneField(
        "deals.Deal", on_delete=models.PROTECT, null=True, blank=True, related_name="finance"
    )
    reference = models.CharField(max_length=40, blank=True)
    # A named reverse relation, so merging customers moves the contract with them.
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="finance_contracts",
    )
    lender = models.ForeignKey(Lender, on_delete=models.PROTECT, related_name="contracts")
    credit_tier = models.CharField(max_length=20, choices=CreditTier.choices)
    term = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    selling_price = models.DecimalField(max_digits=12, decimal_places=2, validators=NOT_NEGATIVE)
    base_amount_financed = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        validators=NOT_NEGATIVE,
        help_text="The amount financed before F&I products.",
    )
    balloon = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        default=Decimal(0),
        validators=NOT_NEGATIVE,
        help_text="A final balloon (a PCP's guaranteed future value); 0 for none.",
    )
    buy_rate = models.DecimalField(max_digits=7, decimal_places=4, validators=PERCENT_RANGE)
    sell_rate = models.DecimalField(max_digits=7, decimal_places=4, validators=PERCENT_RANGE)
    payment = models.DecimalField(max_digits=12, decimal_places=2)
    reserve = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Finance contract {self.reference or self.pk} with {self.lender}"

    @property
    def products_financed(self) -> Decimal:
        return sum((line.price for line in self.products.all()), Decimal(0))

    @property
    def amount_financed(self) -> Decimal:
        return self.base_amount_financed + self.products_financed

    @property
    def product_profit(self) -> Decimal:
        return sum((line.price - line.cost for line in self.products.all()), Decimal(0))

    @property
    def back_gross(self) -> Decimal:
        """Back-end gross: finance reserve plus F&I product profit (domain facts)."""
        return self.reserve + self.product_profit


class ContractChildQuerySet(RooftopScopedQuerySet):
    rooftop_lookup = "contract__rooftop"


class ContractProduct(models.Model):
    """A product sold on a contract: its price, and its cost as it was at the sale."""

    contract = models.ForeignKey(FinanceContract, on_delete=models.CASCADE, related_name="products")
    product = models.ForeignKey(FinanceProduct, on_delete=models.PROTECT, related_name="+")
    price = models.DecimalField(max_digits=12, decimal_places=2, validators=NOT_NEGATIVE)
    cost = models.DecimalField(max_digits=12, decimal_places=2, validators=NOT_NEGATIVE)

    objects: ClassVar[ContractChildQuerySet] = ContractChildQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["contract", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "product"], name="finance_contract_product_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.product} at {self.price}"
