"""Access requests: a customer's data export (everything we hold on them), audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import Http404

from forecourt.core import audit
from forecourt.core.permissions import require_permission
from forecourt.customers.compliance.export import customer_data
from forecourt.customers.models import Customer

EXPORT_PERMISSION = "customers.export_customer"


@transaction.atomic
def export_customer(actor: Any, customer: Customer) -> dict[str, Any]:
    """Everything held on `customer`, as JSON-ready data; audited."""
    require_permission(actor, EXPORT_PERMISSION)
    if not Customer.objects.for_user(actor, "view").filter(pk=customer.pk).exists():
        raise Http404
    data = customer_data(actor, customer)
    audit.record(
        actor,
        "customers.export_customer",
        customer,
        {"export": [None, {"sections": sorted(data), "related": sorted(data["related_records"])}]},
    )
    return data
