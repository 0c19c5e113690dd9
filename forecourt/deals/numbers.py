"""A deal's numbers from the database: gathers the inputs, the pure calc decides.

One function, `deal_numbers(deal)`, feeds the jacket, the API, the documents and the
approval rules, so none of them can disagree about an amount.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from forecourt.deals.calc import ZERO
from forecourt.deals.calc.commission import Plan, PlanKind, Share, split_commissions
from forecourt.deals.calc.totals import AddOn, DealInputs, DealTotals, Trade, deal_totals
from forecourt.deals.calc.uk_vat import VehicleVat, vat_in_inclusive, vehicle_vat
from forecourt.deals.calc.us_tax import (
    LineKind,
    PricedLine,
    TaxableSale,
    TaxLine,
    rules_in_force,
    sales_tax,
)
from forecourt.deals.models import Deal, DealLine, DealSettings, LineKindChoice, TaxRule
from forecourt.deals.registry import back_gross
from forecourt.deals.vat import deal_vat_treatment, margin_purchase_price

NO_PLAN = Plan(PlanKind.FLAT)


@dataclass
class DealNumbers:
    totals: DealTotals
    tax_lines: list[TaxLine] = field(default_factory=list)
    vat: VehicleVat | None = None
    add_on_vat: Decimal = ZERO  # UK: VAT within standard-rated add-ons and taxable fees
    back_gross: Decimal = ZERO
    commissions: dict[str, Decimal] = field(default_factory=dict)
    true_cost: Decimal = ZERO
    approval_reasons: list[str] = field(default_factory=list)

    @property
    def total_gross(self) -> Decimal:
        return self.totals.front_gross + self.back_gross

    def as_dict(self, *, with_gross: bool) -> dict[str, Any]:
        t = self.totals
        body: dict[str, Any] = {
            "vehicle_price": t.vehicle_price,
            "add_ons": t.add_ons,
            "fees": t.fees,
            "taxes": t.taxes,
            "rebates": t.rebates,
            "cash_price": t.cash_price,
            "trade_allowance": t.trade_allowance,
            "trade_payoff": t.trade_payoff,
            "trade_equity": t.trade_equity,
            "payments": t.payments,
            "balance_due": t.balance_due,
            "tax_lines": [
                {
                    "name": line.name, "level": line.level, "rate": line.rate,
                    "taxable_amount": line.taxable_amount, "trade_credit": line.trade_credit,
                    "tax": line.tax, "citation": line.citation,
                }
                for line in self.tax_lines
            ],
            "vat": None,
            "approval_reasons": self.approval_reasons,
        }  # fmt: skip
        if self.vat is not None:
            # Margin-scheme VAT is 1/6 of the margin: it would reveal the car's cost.
            hidden = not with_gross and not self.vat.shows_vat
            body["vat"] = {
                "treatment": self.vat.treatment.value,
                "vat": None if hidden else self.vat.vat,
                "shows_vat": self.vat.shows_vat,
                "add_on_vat": self.add_on_vat,
            }
            if with_gross:
                body["vat"]["purchase_price"] = self.vat.purchase_price
                body["vat"]["margin"] = self.vat.margin
        if with_gross:
            body |= {
                "true_cost": self.true_cost,
                "over_allowance": t.over_allowance,
                "front_gross": t.front_gross,
                "back_gross": self.back_gross,
                "total_gross": self.total_gross,
                "commissions": self.commissions,
            }
        return body


def settings_for(rooftop: Any) -> DealSettings:
    """The rooftop's deal settings; the defaults (unsaved) until an owner saves them."""
    return DealSettings.objects.filter(rooftop=rooftop).first() or DealSettings(rooftop=rooftop)


def area_prefixes(area: str) -> list[str]:
    """ "US-IL-COOK" -> ["US-IL", "US-IL-COOK"]: the rules of each enclosing jurisdiction."""
    parts = [p for p in area.upper().split("-") if p]
    return ["-".join(parts[:n]) for n in range(2, len(parts) + 1)]


def tax_rules_for(area: str, on: Any) -> list[Any]:
    rows = TaxRule.objects.filter(area__in=area_prefixes(area)) if area else TaxRule.objects.none()
    return rules_in_force([row.values() for row in rows], on)


def _priced_line(line: DealLine) -> PricedLine:
    return PricedLine(LineKind(line.kind), line.amount, line.taxable)


def deal_numbers(deal: Deal) -> DealNumbers:
    vehicle = deal.vehicle
    rooftop = deal.rooftop
    lines = list(deal.lines.all())
    trades = list(deal.trades.all())
    payments = [p.amount for p in deal.payments.all()]
    add_ons = [
        x for x in lines if x.kind in (LineKindChoice.ACCESSORY, LineKindChoice.SERVICE_CONTRACT)
    ]
    fees = [x for x in lines if x.kind != LineKindChoice.REBATE and x not in add_ons]
    rebates = sum((x.amount for x in lines if x.kind == LineKindChoice.REBATE), ZERO)
    allowance = sum((t.allowance for t in trades), ZERO)
    config = settings_for(rooftop)
    tax_lines: list[TaxLine] = []
    vat = None
    add_on_vat = ZERO
    if rooftop.country == "US":
        sale = TaxableSale(
            price=deal.price,
            discount=deal.discount,
            rebates=rebates,
            trade_allowance=allowance,
            lines=[_priced_line(x) for x in [*add_ons, *fees]],
        )
        tax_lines = sales_tax(tax_rules_for(config.tax_area, deal.sale_date), sale)
    else:
        vat = vehicle_vat(
            deal_vat_treatment(deal),
            deal.price - deal.discount,
            margin_purchase_price(vehicle),
            config.vat_rate,
        )
        add_on_vat = sum(
            (
                vat_in_inclusive(x.amount, config.vat_rate)
                for x in [*add_ons, *fees]
                if x.taxable and x.kind != LineKindChoice.GOVERNMENT_FEE
            ),
            ZERO,
        )
    true_cost = vehicle.true_cost
    totals = deal_totals(
        DealInputs(
            price=deal.price,
            discount=deal.discount,
            rebates=rebates,
            add_ons=[AddOn(x.amount, x.cost) for x in add_ons],
            fees=[x.amount for x in fees],
            taxes=[line.tax for line in tax_lines],
            trades=[Trade(t.acv, t.allowance, t.payoff) for t in trades],
            payments=payments,
            true_cost=true_cost,
        )
    )
    shares = [
        Share(s.user.full_name or s.user.email, s.share, s.plan.values() if s.plan else NO_PLAN)
        for s in deal.salespeople.select_related("user", "plan")
    ]
    try:
        commissions = split_commissions(shares, totals.front_gross)
    except ValueError:
        commissions = {}
    numbers = DealNumbers(
        totals=totals,
        tax_lines=tax_lines,
        vat=vat,
        add_on_vat=add_on_vat,
        back_gross=back_gross(deal) if deal.pk else ZERO,
        commissions=commissions,
        true_cost=true_cost,
    )
    numbers.approval_reasons = approval_reasons(deal, numbers, config)
    return numbers


def approval_reasons(deal: Deal, numbers: DealNumbers, config: DealSettings) -> list[str]:
    """Why this deal needs a manager (empty: a salesperson may proceed)."""
    reasons = []
    floor = deal.vehicle.floor_price
    if floor is not None and numbers.totals.vehicle_price < floor:
        reasons.append("The price is below the vehicle's floor price.")
    if numbers.totals.front_gross < 0:
        reasons.append("The front gross is negative.")
    if config.discount_limit is not None and deal.discount > config.discount_limit:
        reasons.append("The discount is over the rooftop's limit.")
    return reasons
