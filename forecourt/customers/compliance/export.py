"""A customer's data export for access requests: everything we hold on them, JSON or PDF.

`customer_data` gathers the customer's own fields, the consent history, OFAC screenings,
the records merged into them, and every record of any app that points at the customer
(found through Customer's reverse relations, so the leads app's leads and activities are
included without this module knowing them), plus the audit trail of the record. The export
itself is an audited action (`actions.access.export_customer`), which calls it.

Sensitive values appear in full only for an actor who may reveal them, each read through
the reveal action (core.security.actions.reveal_field: audited and logged like any
reveal); anyone else gets the masks.
Encrypted fields of related records are masked the same way; blind indexes never appear.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.http import HttpResponse
from django.utils import timezone
from fpdf.enums import XPos, YPos

from forecourt.core import audit
from forecourt.core.models import AuditEntry
from forecourt.core.pdf import FONT, Document
from forecourt.core.security.actions.reveal import reveal_field
from forecourt.core.security.fields import BlindIndexField, EncryptedField
from forecourt.core.security.pii import masked, reveal_permission
from forecourt.customers.models import SENSITIVE_FIELDS, Customer, reverse_relations

# Shown in their own sections, not again among "related records".
_OWN_SECTIONS = {"consent_history", "ofac_screenings", "merged_from"}


def _value(obj: models.Model, field: models.Field[Any, Any], may_reveal: bool) -> Any:
    if isinstance(field, EncryptedField):
        if may_reveal:
            return audit.jsonable(getattr(obj, field.attname))
        return field.mask(getattr(obj, field.attname))
    return audit.jsonable(getattr(obj, field.attname))


def record_dict(obj: models.Model, actor: Any) -> dict[str, Any]:
    """Every concrete field of a related record; encrypted ones masked unless the actor may
    reveal them for that model; blind indexes left out."""
    may_reveal = actor.has_perm(reveal_permission(type(obj)))
    return {
        field.attname: _value(obj, field, may_reveal)
        for field in obj._meta.concrete_fields
        if not isinstance(field, BlindIndexField)
    }


def _customer_fields(actor: Any, customer: Customer) -> dict[str, Any]:
    may_reveal = actor.has_perm(reveal_permission(Customer))
    data: dict[str, Any] = {}
    for field in customer._meta.concrete_fields:
        if isinstance(field, BlindIndexField):
            continue
        if field.name in SENSITIVE_FIELDS:
            if may_reveal and getattr(customer, field.name) not in (None, ""):
                data[field.name] = audit.jsonable(reveal_field(actor, customer, field.name))
            else:
                data[field.name] = masked(customer, field.name)
            continue
        data[field.attname] = audit.jsonable(getattr(customer, field.attname))
    data["display_name"] = customer.display_name
    return data


def _related_records(actor: Any, customer: Customer) -> dict[str, list[dict[str, Any]]]:
    related: dict[str, list[dict[str, Any]]] = {}
    for rel in reverse_relations():
        if rel.name in _OWN_SECTIONS:
            continue
        model: Any = rel.related_model
        rows = model._base_manager.filter(**{rel.field.name: customer}).order_by("pk")
        records = [record_dict(row, actor) for row in rows[:5000]]
        if records:
            related[f"{model._meta.label_lower}.{rel.field.name}"] = records
    return related


def customer_data(actor: Any, customer: Customer) -> dict[str, Any]:
    """Everything held on `customer`, as JSON-ready data (sensitive values read through
    `reveal_field` for an actor who may reveal them, which audits each)."""
    return {
        "exported_at": timezone.now().isoformat(),
        "exported_by": getattr(actor, "email", str(actor)),
        "customer": _customer_fields(actor, customer),
        "consent_history": [
            record_dict(row, actor) for row in customer.consent_history.order_by("recorded_at")
        ],
        "ofac_screenings": [
            record_dict(row, actor) for row in customer.ofac_screenings.order_by("screened_at")
        ],
        "merged_records": [
            {"id": row.pk, "merged_at": audit.jsonable(row.merged_at)}
            for row in customer.merged_from.order_by("merged_at")
        ],
        "related_records": _related_records(actor, customer),
        "audit_trail": [
            {
                "at": entry.created_at.isoformat(),
                "action": entry.action,
                "by": entry.actor_label,
            }
            for entry in AuditEntry.objects.filter(
                object_type="customers.customer", object_id=str(customer.pk)
            ).order_by("pk")
        ],
    }


def as_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()


def render_pdf(data: dict[str, Any]) -> bytes:
    """The same content as the JSON, laid out as labelled lines per section."""
    pdf = Document(orientation="portrait", unit="mm", format="letter")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.set_margins(14, 12, 14)
    pdf.add_page()
    pdf.set_font(FONT, "B", 15)
    title = f"Data held on {data['customer'].get('display_name', '')}"
    pdf.cell(0, 8, str(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 9)
    pdf.cell(
        0,
        5,
        str(f"Exported {data['exported_at']} by {data['exported_by']}"),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )

    def heading(text: str) -> None:
        pdf.ln(3)
        pdf.set_font(FONT, "B", 11)
        pdf.cell(0, 6, str(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FONT, "", 9)

    def lines(record: dict[str, Any]) -> None:
        for key, value in record.items():
            shown = "" if value is None else value
            pdf.multi_cell(0, 4.4, str(f"{key}: {shown}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    heading("Customer")
    lines(data["customer"])
    for section in ("consent_history", "ofac_screenings", "merged_records", "audit_trail"):
        heading(section.replace("_", " ").capitalize() + f" ({len(data[section])})")
        for record in data[section]:
            lines(record)
            pdf.ln(1)
    for label, records in data["related_records"].items():
        heading(f"Related: {label} ({len(records)})")
        for record in records:
            lines(record)
            pdf.ln(1)
    return bytes(pdf.output())


def export_response(customer: Customer, data: dict[str, Any], fmt: str) -> HttpResponse:
    stem = f"customer-{customer.pk}-export"
    headers = {"Cache-Control": "private, no-store"}
    if fmt == "pdf":
        headers["Content-Disposition"] = f'attachment; filename="{stem}.pdf"'
        return HttpResponse(render_pdf(data), content_type="application/pdf", headers=headers)
    headers["Content-Disposition"] = f'attachment; filename="{stem}.json"'
    return HttpResponse(as_json(data), content_type="application/json", headers=headers)
