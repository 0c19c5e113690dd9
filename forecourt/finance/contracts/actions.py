"""Every write to finance contracts: record the lender's approval, set the sell rate within
the lender's cap, sell F&I products. The payment and the reserve are recomputed by the
calculation core on every change, so the stored figures are always the schedule's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from forecourt.accounts.models import Rooftop
from forecourt.core import audit
from forecourt.core.concurrency import VersionConflict
from forecourt.core.permissions import require_permission, sees_all_rooftops
from forecourt.customers.models import Customer
from forecourt.deals.models import Deal, DealStatus, SaleType
from forecourt.deals.numbers import deal_numbers
from forecourt.finance.actions import buy_rate_for, price_within_range
from forecourt.finance.calc.errors import CalcInputError
from forecourt.finance.calc.regz import Itemization, disclose
from forecourt.finance.calc.reserve import (
    ReserveRule,
    check_sell_rate,
    dealer_reserve,
    max_advance_exceeded,
)
from forecourt.finance.models import ContractProduct, FinanceContract, FinanceProduct, Lender

AUDITED = [
    "lender_id",
    "credit_tier",
    "term",
    "base_amount_financed",
    "balloon",
    "buy_rate",
    "sell_rate",
]


class ContractVersionConflict(VersionConflict):
    record_name = "finance contract"


def _require_rooftop(actor: Any, rooftop_id: int) -> None:
    if not (sees_all_rooftops(actor) or actor.rooftops.filter(pk=rooftop_id).exists()):
        raise PermissionDenied("This contract belongs to a rooftop you do not work at.")


def reserve_rule(lender: Lender) -> ReserveRule:
    return ReserveRule(
        method=lender.reserve_method,
        max_markup=lender.max_markup,
        share_percent=lender.reserve_share_percent,
        flat_fee=lender.flat_fee,
    )


def _as_validation(refused: CalcInputError) -> ValidationError:
    return ValidationError(refused.errors)


def _price(contract: FinanceContract, amount_financed: Decimal) -> None:
    """Payment at the sell rate and the reserve at the buy rate, from the schedule."""
    try:
        check_sell_rate(contract.buy_rate, contract.sell_rate, reserve_rule(contract.lender))
        box = disclose(
            Itemization(cash_price=amount_financed),
            contract.sell_rate,
            contract.term,
            balloon=contract.balloon,
        )
    except CalcInputError as refused:
        raise _as_validation(refused) from None
    contract.payment = box.payment
    contract.reserve = dealer_reserve(box, contract.buy_rate, reserve_rule(contract.lender))


def _check_lender_limits(contract: FinanceContract, amount_financed: Decimal) -> None:
    lender = contract.lender
    if lender.max_term is not None and contract.term > lender.max_term:
        raise ValidationError({"term": f"{lender} lends for at most {lender.max_term} months."})
    if max_advance_exceeded(amount_financed, contract.selling_price, lender.max_advance_percent):
        raise ValidationError(
            {
                "amount_financed": f"Above {lender}'s maximum advance of "
                f"{lender.max_advance_percent}% of the selling price."
            }
        )


@transaction.atomic
def record_lender_approval(
    actor: Any,
    rooftop: Rooftop,
    *,
    lender: Lender,
    credit_tier: str,
    term: int,
    amount_financed: Decimal,
    selling_price: Decimal,
    buy_rate: Decimal | None = None,
    balloon: Decimal = Decimal(0),
    reference: str = "",
    customer: Customer | None = None,
) -> FinanceContract:
    """The lender approved the deal at a buy rate (its rate sheet's, unless one is given);
    it starts sold at the buy rate."""
    require_permission(actor, "finance.add_financecontract")
    _require_rooftop(actor, rooftop.pk)
    if lender.rooftop_id != rooftop.pk or not lender.is_active:
        raise ValidationError({"lender": "Choose an active lender of this rooftop."})
    if customer is not None and customer.rooftop_id != rooftop.pk:
        raise ValidationError({"customer": "Choose a customer of this rooftop."})
    rate = buy_rate_for(lender, credit_tier, term) if buy_rate is None else buy_rate
    contract = FinanceContract(
        rooftop=rooftop,
        reference=reference,
        customer=customer,
        lender=lender,
        credit_tier=credit_tier,
        term=term,
        selling_price=selling_price,
        base_amount_financed=amount_financed,
        balloon=balloon,
        buy_rate=rate,
        sell_rate=rate,
        payment=Decimal(0),
        reserve=Decimal(0),
    )
    contract.full_clean(
        exclude=["rooftop", "customer", "lender", "payment", "reserve"], validate_constraints=False
    )
    _check_lender_limits(contract, amount_financed)
    _price(contract, amount_financed)
    contract.save()
    audit.record(actor, "finance.record_lender_approval", contract, audit.created(contract))
    return contract


# Deals F&I takes: financed, leased or on HP/PCP, numbers locked (approved) or signed.
FINANCED_SALE_TYPES = (SaleType.FINANCE, SaleType.LEASE, SaleType.HP, SaleType.PCP)
AWAITING_FI = (DealStatus.APPROVED, DealStatus.CONTRACTED)


@transaction.atomic
def record_deal_lender_approval(
    actor: Any,
    deal: Deal | int,
    *,
    lender: Lender,
    credit_tier: str,
    term: int,
    buy_rate: Decimal | None = None,
    balloon: Decimal = Decimal(0),
) -> FinanceContract:
    """The lender's approval of a deal: the amount financed (the deal's balance due:
    cash price, fees and taxes less trade equity and payments taken), the selling price
    and the customer come from the deal. One contract per deal."""
    require_permission(actor, "finance.add_financecontract")
    locked = (
        Deal.objects.select_for_update()
        .select_related("rooftop", "vehicle")
        .get(pk=getattr(deal, "pk", deal))
    )
    _require_rooftop(actor, locked.rooftop_id)
    if locked.sale_type not in FINANCED_SALE_TYPES:
        raise ValidationError({"deal": "Only a finance, lease, HP or PCP deal is financed."})
    if locked.status not in AWAITING_FI:
        raise ValidationError({"deal": "Record the lender's approval on an approved deal."})
    if FinanceContract.objects.filter(deal=locked).exists():
        raise ValidationError({"deal": "This deal already has a finance contract."})
    totals = deal_numbers(locked).totals
    contract = record_lender_approval(
        actor,
        locked.rooftop,
        lender=lender,
        credit_tier=credit_tier,
        term=term,
        amount_financed=totals.balance_due,
        selling_price=totals.vehicle_price,
        buy_rate=buy_rate,
        balloon=balloon,
        reference=locked.number,
        customer=locked.buyer,
    )
    contract.deal = locked
    contract.save(update_fields=["deal"])
    return contract


def deal_back_gross(deal: Any) -> Decimal:
    """deals' back-gross provider: the deal's contract's reserve plus product profit."""
    contract = FinanceContract.objects.filter(deal_id=deal.pk).first()
    return contract.back_gross if contract is not None else Decimal("0.00")


def _lock(actor: Any, contract: FinanceContract | int, version: int | None) -> FinanceContract:
    require_permission(actor, "finance.change_financecontract")
    pk = contract.pk if isinstance(contract, FinanceContract) else contract
    locked = FinanceContract.objects.select_for_update().select_related("lender").get(pk=pk)
    _require_rooftop(actor, locked.rooftop_id)
    if version is not None and version != locked.version:
        raise ContractVersionConflict(locked.version)
    return locked


def _save(actor: Any, contract: FinanceContract, action: str, before: dict[str, Any]) -> None:
    contract.version += 1
    contract.updated_at = timezone.now()
    contract.save()
    after = audit.snapshot(contract, [*AUDITED, "payment", "reserve"])
    audit.record(actor, action, contract, audit.diff(before, after))


@transaction.atomic
def set_sell_rate(
    actor: Any, contract: FinanceContract | int, sell_rate: Decimal, expected_version: int | None
) -> FinanceContract:
    """The rate the buyer pays: not below the buy rate, not above the lender's cap."""
    locked = _lock(actor, contract, expected_version)
    before = audit.snapshot(locked, [*AUDITED, "payment", "reserve"])
    locked.sell_rate = sell_rate
    _price(locked, locked.amount_financed)
    _save(actor, locked, "finance.set_sell_rate", before)
    return locked


@dataclass(frozen=True)
class SoldProduct:
    product_id: int
    price: Decimal | None = None


@transaction.atomic
def sell_products(
    actor: Any,
    contract: FinanceContract | int,
    lines: Iterable[SoldProduct],
    expected_version: int | None,
) -> FinanceContract:
    """Replace the products sold; they are financed, so the payment and reserve follow."""
    locked = _lock(actor, contract, expected_version)
    before = audit.snapshot(locked, [*AUDITED, "payment", "reserve"])
    lines = list(lines)
    products = FinanceProduct.objects.in_bulk({line.product_id for line in lines})
    sold = []
    for index, line in enumerate(lines):
        product = products.get(line.product_id)
        where = f"products.{index}"
        if product is None or product.rooftop_id != locked.rooftop_id or not product.is_active:
            raise ValidationError({where: "Choose an active product of this rooftop."})
        price = price_within_range(product, line.price, where)
        sold.append(
            ContractProduct(contract=locked, product=product, price=price, cost=product.cost)
        )
    if len({line.product_id for line in lines}) != len(lines):
        raise ValidationError({"products": "A product is sold once per contract."})
    locked.products.all().delete()
    ContractProduct.objects.bulk_create(sold)
    _check_lender_limits(locked, locked.amount_financed)
    _price(locked, locked.amount_financed)
    _save(actor, locked, "finance.sell_products", before)
    locked.refresh_from_db()
    return locked
