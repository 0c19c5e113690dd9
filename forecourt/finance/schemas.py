"""Request and response shapes of the lender, product and menu endpoints."""

from __future__ import annotations

from decimal import Decimal

from ninja import Field, Schema
from pydantic import StrictBool, StrictInt

from forecourt.core.schemas import StrictInput
from forecourt.finance.models import (
    CreditTier,
    LenderKind,
    MenuColumn,
    ProductKind,
    ReserveMethod,
)

VERSION_FIELD = Field(default=None, description="The version you read, if not sent as If-Match.")


class LenderFields(StrictInput):
    name: str | None = Field(None, examples=["First Community Bank"])
    kind: LenderKind | None = None
    contact_name: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    max_advance_percent: Decimal | None = Field(None, examples=["125"])
    max_term: StrictInt | None = Field(None, examples=[84])
    reserve_method: ReserveMethod | None = None
    max_markup: Decimal | None = Field(None, examples=["2.50"])
    reserve_share_percent: Decimal | None = Field(None, examples=["75"])
    flat_fee: Decimal | None = None
    is_active: StrictBool | None = None


class LenderCreate(LenderFields):
    rooftop_id: StrictInt = Field(examples=[1])
    name: str = Field(examples=["First Community Bank"])


class LenderUpdate(LenderFields):
    version: StrictInt | None = VERSION_FIELD


class RateBandIn(StrictInput):
    credit_tier: CreditTier
    min_term: StrictInt = Field(examples=[1])
    max_term: StrictInt = Field(examples=[60])
    buy_rate: Decimal = Field(examples=["4.49"])


class RatesIn(StrictInput):
    rates: list[RateBandIn]
    version: StrictInt | None = VERSION_FIELD


class RateBandOut(Schema):
    credit_tier: str
    min_term: int
    max_term: int
    buy_rate: Decimal


class LenderOut(Schema):
    id: int
    rooftop_id: int
    name: str
    kind: str
    contact_name: str
    phone: str
    email: str
    address: str
    max_advance_percent: Decimal | None
    max_term: int | None
    reserve_method: str
    max_markup: Decimal | None
    reserve_share_percent: Decimal
    flat_fee: Decimal | None
    is_active: bool
    version: int
    rates: list[RateBandOut]


class ProductFields(StrictInput):
    name: str | None = None
    kind: ProductKind | None = None
    provider: str | None = None
    cost: Decimal | None = Field(None, examples=["900.00"])
    price: Decimal | None = Field(None, examples=["1995.00"])
    min_price: Decimal | None = Field(None, examples=["1200.00"])
    max_price: Decimal | None = Field(None, examples=["2995.00"])
    term_months: StrictInt | None = Field(None, examples=[60])
    mileage: StrictInt | None = Field(None, examples=[75000])
    taxable_jurisdictions: list[str] | None = Field(None, examples=[["US-TX"]])
    is_active: StrictBool | None = None


class ProductCreate(ProductFields):
    rooftop_id: StrictInt = Field(examples=[1])
    name: str = Field(examples=["Platinum service contract"])
    kind: ProductKind = Field(examples=["service_contract"])
    cost: Decimal = Field(examples=["900.00"])
    price: Decimal = Field(examples=["1995.00"])
    min_price: Decimal = Field(examples=["1200.00"])
    max_price: Decimal = Field(examples=["2995.00"])


class ProductUpdate(ProductFields):
    version: StrictInt | None = VERSION_FIELD


class ProductOut(Schema):
    id: int
    rooftop_id: int
    name: str
    kind: str
    provider: str
    cost: Decimal
    price: Decimal
    min_price: Decimal
    max_price: Decimal
    term_months: int | None
    mileage: int | None
    taxable_jurisdictions: list[str]
    is_active: bool
    version: int


class MenuCreate(StrictInput):
    rooftop_id: StrictInt = Field(examples=[1])
    name: str = Field(examples=["Standard menu"])


class MenuLineIn(StrictInput):
    column: MenuColumn
    product_id: StrictInt
    price: Decimal | None = Field(None, description="Defaults to the product's price.")


class MenuEntriesIn(StrictInput):
    entries: list[MenuLineIn]
    version: StrictInt | None = VERSION_FIELD


class MenuEntryOut(Schema):
    column: str
    product_id: int
    product_name: str
    kind: str
    price: Decimal


class MenuOut(Schema):
    id: int
    rooftop_id: int
    name: str
    version: int
    entries: list[MenuEntryOut]


class MenuColumnOut(Schema):
    name: str
    products_total: Decimal
    amount_financed: Decimal
    payment: Decimal
    impact: Decimal
    total_of_payments: Decimal


class ContractProductOut(Schema):
    product_id: int
    name: str
    price: Decimal
    cost: Decimal | None = Field(None, description="Only for roles that see vehicle costs.")


class ContractOut(Schema):
    id: int
    lender_id: int
    lender: str
    credit_tier: str
    term: int
    selling_price: Decimal
    amount_financed: Decimal
    balloon: Decimal
    sell_rate: Decimal
    payment: Decimal
    products: list[ContractProductOut]
    buy_rate: Decimal | None = Field(None, description="Only for roles that see vehicle costs.")
    reserve: Decimal | None = Field(None, description="Only for roles that see vehicle costs.")
    product_profit: Decimal | None = None
    back_gross: Decimal | None = None
    version: int


class DealFinanceOut(Schema):
    deal_id: int
    contract: ContractOut | None = Field(description="None until the lender's approval.")


class DealApprovalIn(StrictInput):
    lender_id: StrictInt = Field(examples=[1])
    credit_tier: CreditTier = Field(examples=["prime"])
    term: StrictInt = Field(examples=[60])
    buy_rate: Decimal | None = Field(
        None, examples=["4.49"], description="Default: the lender's rate sheet."
    )
    balloon: Decimal = Field(Decimal(0), examples=["0.00"], description="PCP: the GFV.")


class SoldProductIn(StrictInput):
    product_id: StrictInt = Field(examples=[3])
    price: Decimal | None = Field(None, examples=["1995.00"])


class DealFinanceUpdate(StrictInput):
    sell_rate: Decimal | None = Field(None, examples=["6.49"])
    products: list[SoldProductIn] | None = Field(
        None, description="Replaces the products sold (financed on top)."
    )
    version: StrictInt | None = VERSION_FIELD
