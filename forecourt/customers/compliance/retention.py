"""Retention (Safeguards 314.4(c)(6)): which customers are due for disposal, and when.

A customer is disposed of (anonymized by `actions.disposal.anonymize_customer`) once their
last activity is older than CUSTOMER_RETENTION_DAYS, unless a legal hold or open business
keeps them; what counts as open business the apps above customers register
(forecourt/customers/registry.py). Reads only: the nightly job (`dispose_due_customers`) and
the report use these querysets; the writes are in actions/disposal.py. Policy:
docs/compliance.md.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Exists, QuerySet
from django.utils import timezone

from forecourt.core.config import get_config
from forecourt.core.permissions import require_permission
from forecourt.customers import registry
from forecourt.customers.models import Customer

REPORT_DAYS = 30
REPORT_PAGE_ROWS = 500
CSV_COLUMNS = ["customer_id", "rooftop", "name", "last_activity", "due_on", "reason"]


def retention_days() -> int:
    return get_config().customer_retention_days


def without_open_business(customers: QuerySet[Customer]) -> QuerySet[Customer]:
    """Drop customers we still do business with: whatever the apps registered (an open lead,
    a vehicle out on a test drive; an open deal when deals exist).

    The one place "open business" is applied: the report and the nightly job follow it.
    """
    for business in registry.open_business():
        customers = customers.exclude(Exists(business.rows()))
    return customers


def open_business_text() -> str:
    """ "an open lead or a vehicle out on a test drive": what keeps a customer, in words."""
    return " or ".join(business.description for business in registry.open_business())


def retained_records(customers: QuerySet[Customer]) -> QuerySet[Customer]:
    """Customers the retention rules apply to: not yet anonymized, not merged away."""
    return customers.filter(anonymized_at__isnull=True, merged_into__isnull=True)


def due_by(customers: QuerySet[Customer], when: datetime, days: int) -> QuerySet[Customer]:
    """Customers whose retention period has run out by `when`, and that nothing keeps."""
    idle = retained_records(customers).filter(
        last_activity_at__lt=when - timedelta(days=days), legal_hold=False
    )
    return without_open_business(idle)


def eligible_for_disposal(
    now: datetime | None = None, days: int | None = None, customers: Any = None
) -> QuerySet[Customer]:
    """Every customer the nightly job would dispose of now."""
    base = Customer.objects.all() if customers is None else customers
    return due_by(base, now or timezone.now(), retention_days() if days is None else days)


def blocker(customer: Customer) -> str:
    """Why a customer may not be disposed of ('' when nothing keeps them)."""
    if customer.anonymized_at is not None:
        return "This customer was already anonymized."
    if customer.merged_into_id is not None:
        return "This record was merged into another customer; dispose of that one."
    if customer.legal_hold:
        return "A legal hold keeps this customer."
    if has_open_business(customer):
        return f"This customer has open business ({open_business_text()})."
    return ""


def has_open_business(customer: Customer) -> bool:
    return not without_open_business(Customer.objects.filter(pk=customer.pk)).exists()


# --- the report ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportRow:
    customer_id: int
    name: str
    rooftop: str
    last_activity_at: datetime
    due_at: datetime
    overdue: bool

    @property
    def reason(self) -> str:
        when = "the next nightly run" if self.overdue else f"{self.due_at:%Y-%m-%d}"
        return f"No activity since {self.last_activity_at:%Y-%m-%d}; disposed of at {when}."


@dataclass(frozen=True)
class RetentionReport:
    days: int
    within_days: int
    rows: list[ReportRow]
    due_now: int
    due_later: int
    kept_by_legal_hold: int
    kept_by_open_business: int

    @property
    def total(self) -> int:
        return self.due_now + self.due_later

    @property
    def truncated(self) -> bool:
        return len(self.rows) < self.total


def _report_rows(
    customers: QuerySet[Customer], now: datetime, days: int, limit: int | None = None
) -> Iterator[ReportRow]:
    ordered = customers.select_related("rooftop").order_by("last_activity_at", "pk")
    for customer in ordered[:limit] if limit is not None else ordered.iterator(chunk_size=1000):
        due_at = customer.last_activity_at + timedelta(days=days)
        yield ReportRow(
            customer_id=customer.pk,
            name=customer.display_name,
            rooftop=customer.rooftop.code,
            last_activity_at=customer.last_activity_at,
            due_at=due_at,
            overdue=due_at <= now,
        )


def _upcoming(actor: Any, now: datetime, days: int, within_days: int) -> QuerySet[Customer]:
    require_permission(actor, "customers.dispose_customer")
    visible = Customer.objects.for_user(actor, "view")
    return due_by(visible, now + timedelta(days=within_days), days)


def upcoming_report(
    actor: Any,
    *,
    within_days: int = REPORT_DAYS,
    now: datetime | None = None,
    limit: int = REPORT_PAGE_ROWS,
) -> RetentionReport:
    """Customers of the actor's rooftops that will be disposed of within `within_days`."""
    now = now or timezone.now()
    days = retention_days()
    upcoming = _upcoming(actor, now, days, within_days)
    due_now = upcoming.filter(last_activity_at__lt=now - timedelta(days=days)).count()
    # Kept: old enough to go, but held or still in business with us.
    old_enough = retained_records(Customer.objects.for_user(actor, "view")).filter(
        last_activity_at__lt=now + timedelta(days=within_days) - timedelta(days=days)
    )
    held = old_enough.filter(legal_hold=True).count()
    in_business = old_enough.filter(legal_hold=False).count() - upcoming.count()
    rows = list(_report_rows(upcoming, now, days, limit))
    return RetentionReport(
        days=days,
        within_days=within_days,
        rows=rows,
        due_now=due_now,
        due_later=upcoming.count() - due_now,
        kept_by_legal_hold=held,
        kept_by_open_business=in_business,
    )


def _cell(value: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet: quote it.
    return "'" + value if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value


def report_csv(actor: Any, *, within_days: int = REPORT_DAYS, now: datetime | None = None) -> str:
    """The report as CSV: ids, names and dates only, never contact or sensitive fields."""
    now = now or timezone.now()
    days = retention_days()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in _report_rows(_upcoming(actor, now, days, within_days), now, days):
        writer.writerow(
            [
                str(row.customer_id),
                _cell(row.rooftop),
                _cell(row.name),
                row.last_activity_at.date().isoformat(),
                row.due_at.date().isoformat(),
                row.reason,
            ]
        )
    return out.getvalue()
