"""A deal's totals and gross, from its lines: the numbers on the jacket and the documents.

balance due = (price - discount) + add-ons + fees + taxes - rebates - trade equity - payments
trade equity = allowance - payoff (negative equity raises the balance)
front gross = (price - discount) - true cost - trade over-allowance + add-on profit
(true cost includes any pack, which is an inventory cost of kind "pack").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from forecourt.deals.calc import ZERO, cents


@dataclass(frozen=True)
class Trade:
    acv: Decimal
    allowance: Decimal
    payoff: Decimal = ZERO

    @property
    def equity(self) -> Decimal:
        return self.allowance - self.payoff

    @property
    def over_allowance(self) -> Decimal:
        """Positive when the customer was allowed more than the trade is worth."""
        return self.allowance - self.acv


@dataclass(frozen=True)
class AddOn:
    price: Decimal
    cost: Decimal = ZERO


@dataclass(frozen=True)
class DealInputs:
    price: Decimal
    discount: Decimal = ZERO
    rebates: Decimal = ZERO
    add_ons: Sequence[AddOn] = field(default_factory=tuple)
    fees: Sequence[Decimal] = field(default_factory=tuple)
    taxes: Sequence[Decimal] = field(default_factory=tuple)  # US tax lines; UK VAT is inclusive
    trades: Sequence[Trade] = field(default_factory=tuple)
    payments: Sequence[Decimal] = field(default_factory=tuple)
    true_cost: Decimal = ZERO


@dataclass(frozen=True)
class DealTotals:
    vehicle_price: Decimal
    add_ons: Decimal
    fees: Decimal
    taxes: Decimal
    rebates: Decimal
    cash_price: Decimal  # what the buyer owes before trades and payments
    trade_allowance: Decimal
    trade_payoff: Decimal
    trade_equity: Decimal
    payments: Decimal
    balance_due: Decimal
    front_gross: Decimal
    over_allowance: Decimal


def _sum(values: Sequence[Decimal]) -> Decimal:
    return cents(sum(values, ZERO))


def deal_totals(deal: DealInputs) -> DealTotals:
    vehicle_price = cents(deal.price - deal.discount)
    add_ons = _sum([a.price for a in deal.add_ons])
    fees = _sum(list(deal.fees))
    taxes = _sum(list(deal.taxes))
    rebates = cents(deal.rebates)
    cash_price = vehicle_price + add_ons + fees + taxes - rebates
    allowance = _sum([t.allowance for t in deal.trades])
    payoff = _sum([t.payoff for t in deal.trades])
    equity = allowance - payoff
    payments = _sum(list(deal.payments))
    over_allowance = _sum([t.over_allowance for t in deal.trades])
    add_on_profit = _sum([a.price - a.cost for a in deal.add_ons])
    front_gross = vehicle_price - cents(deal.true_cost) - over_allowance + add_on_profit
    return DealTotals(
        vehicle_price=vehicle_price,
        add_ons=add_ons,
        fees=fees,
        taxes=taxes,
        rebates=rebates,
        cash_price=cash_price,
        trade_allowance=allowance,
        trade_payoff=payoff,
        trade_equity=equity,
        payments=payments,
        balance_due=cash_price - equity - payments,
        front_gross=front_gross,
        over_allowance=over_allowance,
    )
