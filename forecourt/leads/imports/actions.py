"""The CSV import's write: every row validated first, then written per mode.

Modes, as for inventory imports:
- all or nothing: any error and nothing is written;
- only valid rows: rows with errors are reported, the others are written.
Consent columns grant consent (source "import") to new customers, and to an existing one only
on a channel they never decided on: an import never re-grants consent to someone who opted out.
"""

from __future__ import annotations

from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from forecourt.accounts.models import Rooftop
from forecourt.core import audit
from forecourt.core.permissions import require_permission
from forecourt.customers.models import ConsentSource
from forecourt.leads import actions
from forecourt.leads.imports.parsing import (
    ImportMode,
    ImportResult,
    ParsedRow,
    lookups,
    parse_row,
    read_rows,
    row_errors,
)
from forecourt.leads.models import Lead


def _write_row(actor: Any, rooftop: Rooftop, row: ParsedRow) -> tuple[Lead, bool]:
    customer, matched = actions.match_or_create_customer(
        actor, rooftop, row.customer, row.consents, ConsentSource.IMPORT, regrant=False
    )
    return actions.create_lead(actor, customer, assign_to_actor=False, **row.lead), matched


class _Rollback(Exception):
    pass


def import_leads(actor: Any, rooftop: Rooftop, stream: IO[bytes], *, mode: str) -> ImportResult:
    """Validate every row, then write per `mode`. Raises ImportFileError for an unreadable
    file and PermissionDenied without `leads.import_lead` or the rooftop."""
    require_permission(actor, "leads.import_lead")
    actions.require_rooftop(actor, rooftop.pk)
    if mode not in (ImportMode.ALL_OR_NOTHING, ImportMode.ONLY_VALID):
        raise ValidationError({"mode": "Choose all or nothing, or only the valid rows."})
    rows = read_rows(stream)
    vehicles, owners = lookups(rooftop, rows)
    result = ImportResult()
    parsed: list[ParsedRow] = []
    for number, cells in rows:
        row, errors = parse_row(number, cells, rooftop, vehicles, owners)
        result.errors += errors
        if row is not None:
            parsed.append(row)
    if mode == ImportMode.ALL_OR_NOTHING and result.errors:
        return result
    try:
        with transaction.atomic():
            for row in parsed:
                try:
                    with transaction.atomic():
                        lead, matched = _write_row(actor, rooftop, row)
                except ValidationError as error:
                    result.errors += row_errors(row.number, error)
                    continue
                result.created.append(lead.pk)
                result.matched_customers += matched
            if mode == ImportMode.ALL_OR_NOTHING and result.errors:
                raise _Rollback
            audit.record(
                actor,
                "leads.import_leads",
                rooftop,
                {
                    "leads_created": [0, len(result.created)],
                    "rows_with_errors": [0, len({e.row for e in result.errors})],
                },
                rooftop_id=rooftop.pk,
            )
    except _Rollback:
        result.created, result.matched_customers = [], 0
        return result
    result.written = bool(result.created)
    return result
