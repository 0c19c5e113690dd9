"""Every write to lenders, their rate sheets, F&I products and product menus.

Each action runs in one transaction, checks the actor's permission and rooftop, locks the
row it changes, checks the version the caller read, and writes its audit entry. Bad input
raises ValidationError with field messages before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from forecourt.accounts.models import Rooftop
from forecourt.core import audit
from forecourt.core.concurrency import VersionConflict
from forecourt.core.permissions import permission_name, require_permission, sees_all_rooftops
from forecourt.finance.models import (
    CreditTier,
    FinanceProduct,
    Lender,
    LenderRate,
    MenuColumn,
    MenuEntry,
    ProductMenu,
    ReserveMethod,
)

Record = TypeVar("Record", Lender, FinanceProduct, ProductMenu)

# The fields a lender or product form offers, in the order it shows them.
LENDER_FIELDS = (
    "name",
    "kind",
    "contact_name",
    "phone",
    "email",
    "address",
    "max_advance_percent",
    "max_term",
    "reserve_method",
    "max_markup",
    "reserve_share_percent",
    "flat_fee",
    "is_active",
)
PRODUCT_FIELDS = (
    "name",
    "kind",
    "provider",
    "cost",
    "price",
    "min_price",
    "max_price",
    "term_months",
    "mileage",
    "taxable_jurisdictions",
    "is_active",
)
MENU_FIELDS = ("name",)


class LenderVersionConflict(VersionConflict):
    record_name = "lender"


class ProductVersionConflict(VersionConflict):
    record_name = "product"


class MenuVersionConflict(VersionConflict):
    record_name = "menu"


CONFLICTS: dict[type[models.Model], type[VersionConflict]] = {
    Lender: LenderVersionConflict,
    FinanceProduct: ProductVersionConflict,
    ProductMenu: MenuVersionConflict,
}


# --- helpers -------------------------------------------------------------------------


def _require_rooftop(actor: Any, rooftop_id: int) -> None:
    if not (sees_all_rooftops(actor) or actor.rooftops.filter(pk=rooftop_id).exists()):
        raise PermissionDenied("This record belongs to a rooftop you do not work at.")


def _check_fields(fields: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be set here."))


def _action_name(model: type[models.Model], verb: str) -> str:
    return f"finance.{verb}_{model._meta.model_name}"


def _lock[R: models.Model](actor: Any, model: type[R], record: R | int, action: str) -> R:
    require_permission(actor, permission_name(model, action))
    pk = record.pk if isinstance(record, models.Model) else record
    locked = model._default_manager.select_for_update().get(pk=pk)
    _require_rooftop(actor, locked.rooftop_id)  # type: ignore[attr-defined]
    return locked


def _check_version(record: models.Model, expected_version: int | None) -> None:
    current = record.version  # type: ignore[attr-defined]
    if expected_version is not None and expected_version != current:
        raise CONFLICTS[type(record)](current)


def _save_unique(record: models.Model, name_field: str = "name") -> None:
    """Save; a duplicate name on the rooftop is a field error, not a server error."""
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        raise ValidationError(
            {name_field: "This rooftop already has one with this name."}
        ) from None


def _create[R: models.Model](
    actor: Any,
    model: type[R],
    rooftop: Rooftop,
    fields: Mapping[str, Any],
    allowed: tuple[str, ...],
) -> R:
    require_permission(actor, permission_name(model, "add"))
    _require_rooftop(actor, rooftop.pk)
    _check_fields(fields, allowed)
    record = model(rooftop=rooftop, **fields)
    record.full_clean(exclude=["rooftop"], validate_constraints=False)
    _check_rules(record)
    _save_unique(record)
    audit.record(actor, _action_name(model, "create"), record, audit.created(record))
    return record


def _update[R: models.Model](
    actor: Any,
    model: type[R],
    record: R | int,
    fields: Mapping[str, Any],
    allowed: tuple[str, ...],
    expected_version: int | None,
) -> R:
    locked = _lock(actor, model, record, "change")
    _check_version(locked, expected_version)
    _check_fields(fields, allowed)
    before = audit.snapshot(locked)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean(exclude=["rooftop"], validate_constraints=False)
    _check_rules(locked)
    _bump(locked)
    _save_unique(locked)
    changes = audit.diff(before, audit.snapshot(locked))
    for bookkeeping in ("version", "updated_at"):
        changes.pop(bookkeeping, None)
    audit.record(actor, _action_name(model, "update"), locked, changes)
    return locked


def _bump(record: models.Model) -> None:
    record.version += 1  # type: ignore[attr-defined]
    record.updated_at = timezone.now()  # type: ignore[attr-defined]


def _check_rules(record: models.Model) -> None:
    """The rules across fields (the database constraints are the backstop)."""
    if isinstance(record, Lender):
        _check_reserve_rule(record)
    elif isinstance(record, FinanceProduct):
        _check_product_prices(record)


def _check_reserve_rule(lender: Lender) -> None:
    if lender.reserve_method == ReserveMethod.MARKUP and lender.max_markup is None:
        raise ValidationError({"max_markup": "A markup lender needs its markup cap."})
    if lender.reserve_method == ReserveMethod.FLAT_FEE and lender.flat_fee is None:
        raise ValidationError({"flat_fee": "A flat-fee lender needs its fee."})


def _check_product_prices(product: FinanceProduct) -> None:
    errors = {}
    if product.min_price > product.max_price:
        errors["max_price"] = "Must not be below the minimum price."
    elif not product.min_price <= product.price <= product.max_price:
        errors["price"] = "Must be between the minimum and maximum price."
    codes = product.taxable_jurisdictions
    if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
        errors["taxable_jurisdictions"] = "A list of jurisdiction codes, e.g. US-TX."
    if errors:
        raise ValidationError(errors)


# --- lenders -------------------------------------------------------------------------


@transaction.atomic
def create_lender(actor: Any, rooftop: Rooftop, fields: Mapping[str, Any]) -> Lender:
    return _create(actor, Lender, rooftop, fields, LENDER_FIELDS)


@transaction.atomic
def update_lender(
    actor: Any, lender: Lender | int, fields: Mapping[str, Any], expected_version: int | None
) -> Lender:
    return _update(actor, Lender, lender, fields, LENDER_FIELDS, expected_version)


@dataclass(frozen=True)
class RateBand:
    credit_tier: str
    min_term: int
    max_term: int
    buy_rate: Decimal


def _check_bands(bands: Iterable[RateBand], max_term: int | None) -> list[RateBand]:
    ordered = sorted(bands, key=lambda band: (band.credit_tier, band.min_term))
    for index, band in enumerate(ordered):
        where = f"rates.{index}"
        if band.credit_tier not in CreditTier.values:
            raise ValidationError({where: f"Unknown credit tier {band.credit_tier!r}."})
        if not 1 <= band.min_term <= band.max_term:
            raise ValidationError({where: "The term band must run from 1 up."})
        if max_term is not None and band.max_term > max_term:
            raise ValidationError({where: f"The lender lends for at most {max_term} months."})
        if not Decimal(0) <= band.buy_rate <= Decimal(100):
            raise ValidationError({where: "The buy rate must be between 0 and 100%."})
        previous = ordered[index - 1] if index else None
        same_tier = previous is not None and previous.credit_tier == band.credit_tier
        if same_tier and previous is not None and band.min_term <= previous.max_term:
            raise ValidationError({where: "Term bands of one tier must not overlap."})
    return ordered


@transaction.atomic
def set_lender_rates(
    actor: Any, lender: Lender | int, bands: Iterable[RateBand], expected_version: int | None
) -> Lender:
    """Replace the lender's whole rate sheet (rate sheets are published as a whole)."""
    locked = _lock(actor, Lender, lender, "change")
    _check_version(locked, expected_version)
    ordered = _check_bands(bands, locked.max_term)
    before = [str(rate) for rate in locked.rates.all()]
    locked.rates.all().delete()
    LenderRate.objects.bulk_create(LenderRate(lender=locked, **band.__dict__) for band in ordered)
    _bump(locked)
    locked.save(update_fields=["version", "updated_at"])
    after = [str(rate) for rate in locked.rates.all()]
    audit.record(actor, "finance.set_lender_rates", locked, {"rates": [before, after]})
    return locked


def buy_rate_for(lender: Lender, credit_tier: str, term: int) -> Decimal:
    """The lender's buy rate for a tier and term, or a field error when it has none."""
    band = lender.rates.filter(
        credit_tier=credit_tier, min_term__lte=term, max_term__gte=term
    ).first()
    if band is None:
        raise ValidationError({"term": f"{lender} publishes no rate for this tier and term."})
    return band.buy_rate


# --- products and menus --------------------------------------------------------------


def price_within_range(product: FinanceProduct, price: Decimal | None, where: str) -> Decimal:
    """The price a product is sold at (its list price unless given), within its range."""
    chosen = product.price if price is None else price
    if not product.min_price <= chosen <= product.max_price:
        raise ValidationError(
            {where: f"{product} sells for {product.min_price} to {product.max_price}."}
        )
    return chosen


@transaction.atomic
def create_product(actor: Any, rooftop: Rooftop, fields: Mapping[str, Any]) -> FinanceProduct:
    return _create(actor, FinanceProduct, rooftop, fields, PRODUCT_FIELDS)


@transaction.atomic
def update_product(
    actor: Any,
    product: FinanceProduct | int,
    fields: Mapping[str, Any],
    expected_version: int | None,
) -> FinanceProduct:
    return _update(actor, FinanceProduct, product, fields, PRODUCT_FIELDS, expected_version)


@transaction.atomic
def create_menu(actor: Any, rooftop: Rooftop, fields: Mapping[str, Any]) -> ProductMenu:
    return _create(actor, ProductMenu, rooftop, fields, MENU_FIELDS)


@dataclass(frozen=True)
class MenuLine:
    column: str
    product_id: int
    price: Decimal | None = None


@transaction.atomic
def set_menu_entries(
    actor: Any, menu: ProductMenu | int, lines: Iterable[MenuLine], expected_version: int | None
) -> ProductMenu:
    """Replace what each column of the menu holds; prices default to the product's."""
    locked = _lock(actor, ProductMenu, menu, "change")
    _check_version(locked, expected_version)
    lines = list(lines)
    products = FinanceProduct.objects.in_bulk({line.product_id for line in lines})
    entries = []
    seen = set()
    for index, line in enumerate(lines):
        where = f"entries.{index}"
        product = products.get(line.product_id)
        if product is None or product.rooftop_id != locked.rooftop_id:
            raise ValidationError({where: "Choose a product of this menu's rooftop."})
        if line.column not in MenuColumn.values:
            raise ValidationError({where: "The column is good, better or best."})
        if (line.column, product.pk) in seen:
            raise ValidationError({where: f"{product} is twice in the {line.column} column."})
        seen.add((line.column, product.pk))
        price = price_within_range(product, line.price, where)
        entries.append(MenuEntry(menu=locked, column=line.column, product=product, price=price))
    before = [str(entry) for entry in locked.entries.all()]
    locked.entries.all().delete()
    MenuEntry.objects.bulk_create(entries)
    _bump(locked)
    locked.save(update_fields=["version", "updated_at"])
    after = [f"{entry} {entry.price}" for entry in entries]
    audit.record(actor, "finance.set_menu_entries", locked, {"entries": [before, after]})
    return locked
