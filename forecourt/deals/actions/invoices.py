"""UK sales invoice numbers: one sequential series per rooftop, from a locked counter row,
so two processes never issue the same number; a cancelled number is kept with its reason."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from forecourt.core import audit
from forecourt.deals.actions.locking import lock_deal, reason_text, user_or_none
from forecourt.deals.models import Deal, DealSettings, DealStatus, InvoiceNumber


def issue_invoice_for(actor: Any, deal: Deal) -> InvoiceNumber:
    """Inside the caller's transaction, on a locked deal."""
    if deal.rooftop.country != "GB":
        raise ValidationError({"invoice": "Sales invoice numbers are for UK rooftops."})
    if deal.status not in (DealStatus.CONTRACTED, DealStatus.DELIVERED):
        raise ValidationError({"invoice": "Only a contracted or delivered deal is invoiced."})
    if deal.invoices.filter(cancelled_at__isnull=True).exists():
        raise ValidationError({"invoice": "This deal already has an invoice number."})
    DealSettings.objects.get_or_create(rooftop=deal.rooftop)
    counter = DealSettings.objects.select_for_update().get(rooftop=deal.rooftop)
    counter.last_invoice_number += 1
    counter.save(update_fields=["last_invoice_number"])
    sequence = counter.last_invoice_number
    try:
        with transaction.atomic():
            invoice = InvoiceNumber.objects.create(
                rooftop=deal.rooftop, sequence=sequence, deal=deal,
                number=f"{counter.invoice_prefix}{sequence:06d}", issued_by=user_or_none(actor),
            )  # fmt: skip
    except IntegrityError:
        raise ValidationError({"invoice": "This deal already has an invoice number."}) from None
    audit.record(actor, "deals.issue_invoice", deal, {"invoice": [None, invoice.number]})
    return invoice


@transaction.atomic
def issue_invoice(actor: Any, deal: Deal | int) -> InvoiceNumber:
    locked = lock_deal(actor, deal, "deals.change_deal")
    return issue_invoice_for(actor, locked)


@transaction.atomic
def cancel_invoice(actor: Any, deal: Deal | int, *, reason: str) -> InvoiceNumber:
    """Spoil the deal's current number (kept, with the reason); a new one may be issued."""
    locked = lock_deal(actor, deal, "deals.approve_deal")
    text = reason_text(reason)
    invoice = locked.invoices.filter(cancelled_at__isnull=True).first()
    if invoice is None:
        raise ValidationError({"invoice": "This deal has no current invoice number."})
    invoice.cancelled_at = timezone.now()
    invoice.cancel_reason = text[:200]
    invoice.save(update_fields=["cancelled_at", "cancel_reason"])
    audit.record(
        actor,
        "deals.cancel_invoice",
        locked,
        {"invoice": [invoice.number, None], "reason": [None, text]},
    )
    return invoice
