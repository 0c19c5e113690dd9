"""What every deals action shares: the row lock with its permission and rooftop checks,
the version check, saving with a new version, and the status change record."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.utils import timezone

from forecourt.core import audit
from forecourt.core.concurrency import VersionConflict
from forecourt.core.permissions import sees_all_rooftops
from forecourt.deals.calc import cents
from forecourt.deals.models import Deal, DealStatus, DealStatusChange

PERMISSION_MESSAGES = {
    "deals.approve_deal": "Only a manager can approve a deal (deals.approve_deal).",
    "deals.unwind_deal": "Only a manager can unwind a delivered deal (deals.unwind_deal).",
}


class DealVersionConflict(VersionConflict):
    record_name = "deal"


class DealConflict(Exception):
    """The deal's state or its vehicle's forbids this now (the API answers 409)."""


def user_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def reaches_rooftop(actor: Any, rooftop_id: int) -> bool:
    return sees_all_rooftops(actor) or actor.rooftops.filter(pk=rooftop_id).exists()


def require_rooftop(actor: Any, rooftop_id: int) -> None:
    if not reaches_rooftop(actor, rooftop_id):
        raise PermissionDenied("This belongs to a rooftop you do not work at.")


def lock_deal(
    actor: Any, deal: Deal | int, permission: str, expected_version: int | None = None
) -> Deal:
    """Check the permission, lock the deal row, check the rooftop and the version."""
    if not (getattr(actor, "is_active", False) and actor.has_perm(permission)):
        raise PermissionDenied(
            PERMISSION_MESSAGES.get(permission, f"Your role does not allow this ({permission}).")
        )
    pk = deal.pk if isinstance(deal, Deal) else deal
    rows = Deal.objects.select_for_update(of=("self",)).select_related(
        "rooftop", "vehicle", "buyer"
    )
    if sees_all_rooftops(actor):
        locked = rows.get(pk=pk)
    else:
        reaches = Exists(actor.rooftops.filter(pk=OuterRef("rooftop_id")))
        locked = rows.annotate(actor_reaches=reaches).get(pk=pk)
        if not locked.actor_reaches:
            raise PermissionDenied("This deal belongs to a rooftop you do not work at.")
    if expected_version is not None and expected_version != locked.version:
        raise DealVersionConflict(locked.version)
    return locked


def save_deal(deal: Deal, fields: Iterable[str] = ()) -> None:
    deal.version += 1
    deal.updated_at = timezone.now()
    deal.save(update_fields=[*set(fields), "version", "updated_at"])


def require_status(deal: Deal, *allowed: DealStatus, doing: str) -> None:
    if deal.status not in allowed:
        names = ", ".join(s.label.lower() for s in allowed)
        raise ValidationError(
            {"status": f"Only a deal that is {names} can be {doing} (this one is "
             f"{deal.get_status_display().lower()})."}
        )  # fmt: skip


def require_editable(deal: Deal) -> None:
    if deal.status != DealStatus.QUOTE:
        raise ValidationError(
            {"status": "The numbers are locked once a deal is submitted or approved; "
             "return it to quote to change them."}
        )  # fmt: skip


def record_transition(
    actor: Any,
    deal: Deal,
    to_status: DealStatus,
    reason: str = "",
    changes: dict[str, list[Any]] | None = None,
    fields: Iterable[str] = (),
) -> None:
    """Move a locked deal to `to_status`: the history row, the save (of `fields` too) and
    the audit entry (with `changes`)."""
    from_status = deal.status
    deal.status = to_status
    DealStatusChange.objects.create(
        deal=deal, changed_by=user_or_none(actor), from_status=from_status,
        to_status=to_status, reason=reason[:300],
    )  # fmt: skip
    save_deal(deal, ["status", *fields])
    entry: dict[str, list[Any]] = {"status": [from_status, to_status.value], **(changes or {})}
    if reason:
        entry["reason"] = [None, reason]
    audit.record(actor, f"deals.{to_status.value}", deal, entry)


def money(value: Any, field: str, *, allow_negative: bool = False) -> Decimal:
    """A money input as Decimal cents, or a field error."""
    try:
        amount = cents(Decimal(str(value)))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: "Enter an amount, e.g. 1250.00."}) from None
    if not amount.is_finite():
        raise ValidationError({field: "Enter an amount, e.g. 1250.00."})
    if amount < 0 and not allow_negative:
        raise ValidationError({field: "An amount cannot be negative."})
    if abs(amount) >= Decimal("1e10"):
        raise ValidationError({field: "This amount is too large."})
    return amount


def reason_text(reason: str, field: str = "reason") -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationError({field: "Say why."})
    return text[:300]
