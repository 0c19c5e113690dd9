"""US sales tax on a vehicle sale: one line per jurisdiction, each rounded on its own.

Each jurisdiction line (state, county, city, district) carries its own rule: rate, how much
trade-in allowance it credits (full, none, capped, a percentage), and whether the doc fee,
manufacturer rebates, accessories and service contracts are in its taxable amount.
taxable = max(0, price - discount + taxable add-ons + taxable fees - non-taxable rebates
- trade credit); tax = round(taxable x rate) per line. docs/deals.md "Tax model".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from forecourt.deals.calc import ZERO, cents


class TradeCredit(StrEnum):
    FULL = "full"
    NONE = "none"
    CAPPED = "capped"
    PERCENT = "percent"


class LineKind(StrEnum):
    """What a priced line of the deal is, for the taxability questions of a rule."""

    ACCESSORY = "accessory"
    SERVICE_CONTRACT = "service_contract"
    DOC_FEE = "doc_fee"
    GOVERNMENT_FEE = "government_fee"  # title, registration, plate, tyre/battery: never taxed
    OTHER_FEE = "other_fee"


@dataclass(frozen=True)
class TaxRule:
    """One jurisdiction's rule in force on a date."""

    name: str  # "Illinois state", "Cook County"
    level: str  # state | county | city | district
    rate: Decimal  # 0.0625 for 6.25 %
    trade_credit: TradeCredit = TradeCredit.FULL
    trade_credit_cap: Decimal | None = None  # for CAPPED
    trade_credit_percent: Decimal | None = None  # for PERCENT: 0.50 credits half
    doc_fee_taxable: bool = True
    rebates_taxable: bool = True  # True: a rebate does not lower the taxable amount
    accessories_taxable: bool = True
    service_contracts_taxable: bool = False
    effective_from: date = date(2000, 1, 1)
    effective_to: date | None = None
    citation: str = ""

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on < self.effective_to)

    def credit_for(self, allowance: Decimal) -> Decimal:
        if allowance <= 0:
            return ZERO
        if self.trade_credit == TradeCredit.FULL:
            return allowance
        if self.trade_credit == TradeCredit.CAPPED:
            return min(allowance, self.trade_credit_cap or ZERO)
        if self.trade_credit == TradeCredit.PERCENT:
            return cents(allowance * (self.trade_credit_percent or ZERO))
        return ZERO

    def taxes_line(self, kind: LineKind, line_taxable: bool) -> bool:
        if not line_taxable:
            return False
        if kind == LineKind.ACCESSORY:
            return self.accessories_taxable
        if kind == LineKind.SERVICE_CONTRACT:
            return self.service_contracts_taxable
        if kind == LineKind.DOC_FEE:
            return self.doc_fee_taxable
        return kind == LineKind.OTHER_FEE


@dataclass(frozen=True)
class PricedLine:
    kind: LineKind
    amount: Decimal
    taxable: bool = True  # the line's own flag (an exempt accessory, a non-taxable fee)


@dataclass(frozen=True)
class TaxableSale:
    price: Decimal
    discount: Decimal = ZERO
    rebates: Decimal = ZERO
    trade_allowance: Decimal = ZERO
    lines: Sequence[PricedLine] = field(default_factory=tuple)


@dataclass(frozen=True)
class TaxLine:
    name: str
    level: str
    rate: Decimal
    taxable_amount: Decimal
    trade_credit: Decimal
    tax: Decimal
    citation: str


def rules_in_force(rules: Iterable[TaxRule], on: date) -> list[TaxRule]:
    """The newest version of each (level, name) in force on `on`."""
    newest: dict[tuple[str, str], TaxRule] = {}
    for rule in rules:
        if not rule.in_force(on):
            continue
        key = (rule.level, rule.name)
        if key not in newest or rule.effective_from > newest[key].effective_from:
            newest[key] = rule
    return list(newest.values())


def tax_line(rule: TaxRule, sale: TaxableSale) -> TaxLine:
    base = sale.price - sale.discount
    base += sum(
        (line.amount for line in sale.lines if rule.taxes_line(line.kind, line.taxable)), ZERO
    )
    if not rule.rebates_taxable:
        base -= sale.rebates
    credit = min(rule.credit_for(sale.trade_allowance), max(base, ZERO))
    taxable = max(base - credit, ZERO)
    return TaxLine(
        name=rule.name,
        level=rule.level,
        rate=rule.rate,
        taxable_amount=cents(taxable),
        trade_credit=cents(credit),
        tax=cents(taxable * rule.rate),
        citation=rule.citation,
    )


def sales_tax(rules: Iterable[TaxRule], sale: TaxableSale) -> list[TaxLine]:
    return [tax_line(rule, sale) for rule in rules]
