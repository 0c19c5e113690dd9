"""Salesperson commission: a plan per salesperson, the deal's gross split between them.

Plans: FLAT pays a fixed amount per deal; PERCENT pays a percentage of front gross, never
less than the plan's mini (the minimum paid on a low- or negative-gross deal); MINI pays the
mini alone. A split salesperson earns their plan on their share of the gross, and their
share of the flat amount and of the mini ("half a mini" on a 50/50 deal).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from forecourt.deals.calc import ZERO, cents

HUNDRED = Decimal("100")


class PlanKind(StrEnum):
    FLAT = "flat"
    PERCENT = "percent"
    MINI = "mini"


@dataclass(frozen=True)
class Plan:
    kind: PlanKind
    flat: Decimal = ZERO
    percent: Decimal = ZERO  # of front gross, e.g. 25 for 25 %
    mini: Decimal = ZERO


@dataclass(frozen=True)
class Share:
    person: str
    percent: Decimal  # of the deal, e.g. 50; a deal's shares add up to 100
    plan: Plan


def commission(plan: Plan, front_gross: Decimal, share_percent: Decimal = HUNDRED) -> Decimal:
    share = share_percent / HUNDRED
    if plan.kind == PlanKind.FLAT:
        return cents(plan.flat * share)
    mini = plan.mini * share
    if plan.kind == PlanKind.MINI:
        return cents(mini)
    earned = front_gross * share * plan.percent / HUNDRED
    return cents(max(earned, mini))


def split_commissions(shares: Sequence[Share], front_gross: Decimal) -> dict[str, Decimal]:
    if shares and sum((s.percent for s in shares), ZERO) != HUNDRED:
        raise ValueError("The salespeople's shares must add up to 100 %.")
    return {s.person: commission(s.plan, front_gross, s.percent) for s in shares}
