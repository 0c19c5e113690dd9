"""Compliance writes on customers: OFAC lists and screenings, legal holds, disposal.

Like every actions module: one function per business operation, in one transaction,
permission-checked, audited. `actor=None` is the system (the `ofac-import` command run by an
operator, the nightly retention job); a person always needs the permission. Audit entries
name fields and counts, never a removed or screened value. Policy: docs/compliance.md.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import logging
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from forecourt.core import audit
from forecourt.core.permissions import require_permission, sees_all_rooftops
from forecourt.customers import ofac, retention
from forecourt.customers.models import (
    Customer,
    CustomerConsent,
    CustomerKind,
    OfacEntry,
    OfacList,
    OfacScreening,
    OfacStatus,
)
from forecourt.leads.models import Activity, Lead

logger = logging.getLogger("forecourt.customers.compliance")

IMPORT_BATCH = 2000
DISPOSAL_BATCH = 200
MIN_REASON_LENGTH = 5


class VersionConflict(Exception):
    """The customer changed since the caller read it (optimistic concurrency)."""

    def __init__(self, current_version: int) -> None:
        self.current_version = current_version
        super().__init__(
            f"The customer was changed by someone else (now version {current_version}). "
            "Reload it and try again."
        )


# --- helpers -------------------------------------------------------------------------------


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _lock(
    actor: Any, customer: Customer | int, permission: str | None, expected_version: int | None
) -> Customer:
    """Check the permission (a person only), lock the row, check the rooftop and version."""
    if actor is not None:
        require_permission(actor, permission or "")
    pk = customer.pk if isinstance(customer, Customer) else customer
    locked = Customer.objects.select_for_update().get(pk=pk)
    if actor is not None and not (
        sees_all_rooftops(actor) or actor.rooftops.filter(pk=locked.rooftop_id).exists()
    ):
        raise PermissionDenied("This customer belongs to a rooftop you do not work at.")
    if expected_version is not None and expected_version != locked.version:
        raise VersionConflict(locked.version)
    return locked


def _save(customer: Customer, fields: list[str]) -> None:
    customer.version += 1
    customer.updated_at = timezone.now()
    customer.save(update_fields=[*dict.fromkeys(fields), "version", "updated_at"])


def _reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError({field: "Say why (at least a few words); it goes in the audit log."})
    return reason[:200]


# --- OFAC list import ----------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    sdn_list: OfacList
    created: bool  # False: this exact file was imported before
    made_current: bool


def _digest_and_encoding(handle: BinaryIO, digest: Any) -> str:
    """Feed the file to `digest` in 1 MiB chunks; its encoding: UTF-8 if valid, else cp1252.

    One streaming pass, so a large file is never held in memory.
    """
    utf8 = codecs.getincrementaldecoder("utf-8")()
    valid_utf8 = True
    for chunk in iter(lambda: handle.read(1 << 20), b""):
        digest.update(chunk)
        if valid_utf8:
            try:
                utf8.decode(chunk)
            except UnicodeDecodeError:
                valid_utf8 = False
    handle.seek(0)
    # Treasury's older files are Windows-1252, in which every byte decodes.
    return "utf-8-sig" if valid_utf8 else "cp1252"


def _text_lines(handle: BinaryIO, encoding: str) -> Iterator[str]:
    return io.TextIOWrapper(handle, encoding=encoding, newline="")


def _entries(
    sdn_list: OfacList,
    sdn_lines: Iterator[str],
    alias_lines: Iterator[str] | None,
    names: tuple[str, str],
) -> Iterator[OfacEntry]:
    sdn_source, alias_source = names
    primaries: dict[int, tuple[str, str]] = {}
    for record in ofac.parse_sdn(sdn_lines, sdn_source):
        if record.ent_num in primaries:
            raise ofac.OfacFileError(f"{sdn_source}: ent_num {record.ent_num} appears twice.")
        primaries[record.ent_num] = (record.sdn_type, record.program)
        yield OfacEntry(
            sdn_list=sdn_list,
            ent_num=record.ent_num,
            name=record.name,
            normalized_name=ofac.normalize_name(record.name)[:350],
            sdn_type=record.sdn_type,
            program=record.program,
            remarks=record.remarks,
        )
    if alias_lines is None:
        return
    for alias in ofac.parse_aliases(alias_lines, alias_source):
        if alias.ent_num not in primaries:
            raise ofac.OfacFileError(
                f"{alias_source}: alias of ent_num {alias.ent_num}, which {sdn_source} lacks."
            )
        sdn_type, program = primaries[alias.ent_num]
        yield OfacEntry(
            sdn_list=sdn_list,
            ent_num=alias.ent_num,
            name=alias.name,
            normalized_name=ofac.normalize_name(alias.name)[:350],
            is_alias=True,
            sdn_type=sdn_type,
            program=program,
            remarks=" ".join(part for part in (alias.alt_type, alias.remarks) if part),
        )


def _make_current(sdn_list: OfacList) -> bool:
    if sdn_list.is_current:
        return False
    OfacList.objects.select_for_update().filter(is_current=True).update(is_current=False)
    sdn_list.is_current = True
    sdn_list.save(update_fields=["is_current"])
    return True


@transaction.atomic
def import_sdn_list(
    actor: Any,
    sdn_path: Path,
    *,
    aliases_path: Path | None = None,
    version: str = "",
) -> ImportResult:
    """Load an SDN file (and its alias file) as a new list and make it the one in force.

    Idempotent: the same files again change nothing (that list is made current again if a
    later one replaced it). Older lists stay for the record: screenings point at them.
    Raises OfacFileError for a malformed file; nothing is written then.
    """
    if actor is not None:
        require_permission(actor, "customers.add_ofaclist")
    digest = hashlib.sha256()
    encodings = []
    for path in (sdn_path, aliases_path):
        if path is not None:
            with path.open("rb") as handle:
                encodings.append(_digest_and_encoding(handle, digest))
    sha = digest.hexdigest()
    existing = OfacList.objects.filter(sha256=sha).first()
    if existing is not None:
        made_current = _make_current(existing)
        if made_current:
            changes = {"is_current": [False, True]}
            audit.record(actor, "customers.ofac_list_current", existing, changes)
        return ImportResult(existing, created=False, made_current=made_current)
    version = (version or f"{timezone.localdate():%Y-%m-%d}-{sha[:12]}").strip()[:64]
    if OfacList.objects.filter(version=version).exists():
        raise ValidationError({"version": f"A different list was imported as {version!r}."})
    sdn_list = OfacList.objects.create(
        version=version, source_name=sdn_path.name[:200], sha256=sha, imported_at=timezone.now()
    )
    count = 0
    with ExitStack() as files:
        sdn_lines = _text_lines(files.enter_context(sdn_path.open("rb")), encodings[0])
        alias_lines = None
        if aliases_path is not None:
            alias_handle = files.enter_context(aliases_path.open("rb"))
            alias_lines = _text_lines(alias_handle, encodings[1])
        sources = (sdn_path.name, aliases_path.name if aliases_path else "")
        batch: list[OfacEntry] = []
        try:
            for entry in _entries(sdn_list, sdn_lines, alias_lines, sources):
                batch.append(entry)
                if len(batch) >= IMPORT_BATCH:
                    count += len(OfacEntry.objects.bulk_create(batch))
                    batch = []
        except UnicodeDecodeError:
            raise ofac.OfacFileError(
                f"{' / '.join(filter(None, sources))}: not text in UTF-8 or Windows-1252."
            ) from None
        count += len(OfacEntry.objects.bulk_create(batch))
    if count == 0:
        raise ofac.OfacFileError(f"{sdn_path.name}: the file holds no entries.")
    sdn_list.entry_count = count
    sdn_list.save(update_fields=["entry_count"])
    _make_current(sdn_list)
    audit.record(
        actor,
        "customers.ofac_import",
        sdn_list,
        {"version": [None, version], "entry_count": [None, count], "sha256": [None, sha]},
    )
    logger.info("OFAC list imported", extra={"event": "ofac_import", "entries": count})
    return ImportResult(sdn_list, created=True, made_current=True)


# --- screening -----------------------------------------------------------------------------


def _was_cleared_for(customer: Customer, matches: list[ofac.Match]) -> bool:
    """A manager cleared these same SDN records for this customer before."""
    if customer.ofac_status != OfacStatus.CLEARED or customer.ofac_cleared_at is None:
        return False
    cleared = (
        OfacScreening.objects.filter(customer=customer, screened_at__lte=customer.ofac_cleared_at)
        .values_list("matches", flat=True)
        .first()
    )
    cleared_ent_nums = {match.get("ent_num") for match in cleared or []}
    return {match.ent_num for match in matches} <= cleared_ent_nums


def _screen(actor: Any, customer: Customer) -> OfacScreening:
    sdn_list = ofac.current_list()
    if sdn_list is None:
        raise ValidationError(
            {"__all__": "No OFAC list has been imported yet (`forecourt ofac-import FILE`)."}
        )
    names = ofac.customer_names(customer)
    if not names:
        raise ValidationError({"__all__": "The customer has no name to screen."})
    best, matches = ofac.find_matches(names, sdn_list)
    result = OfacStatus.POSSIBLE_MATCH if matches else OfacStatus.CLEAR
    now = timezone.now()
    screening = OfacScreening.objects.create(
        customer=customer,
        sdn_list=sdn_list,
        screened_at=now,
        screened_by=_user(actor),
        screened_name=" / ".join(names)[:350],
        result=result,
        best_score=Decimal(str(round(best, 2))),
        matches=[match.as_record() for match in matches[: ofac.MAX_RECORDED_MATCHES]],
    )
    before = customer.ofac_status
    if not (matches and _was_cleared_for(customer, matches)):
        customer.ofac_status = result
        customer.ofac_cleared_by = None
        customer.ofac_cleared_at = None
    customer.ofac_screened_at = now
    customer.ofac_list_version = sdn_list.version
    _save(
        customer,
        [
            "ofac_status",
            "ofac_screened_at",
            "ofac_list_version",
            "ofac_cleared_by",
            "ofac_cleared_at",
        ],
    )
    audit.record(
        actor,
        "customers.ofac_screen",
        customer,
        {
            "ofac_status": [before, customer.ofac_status],
            "ofac_list_version": [None, sdn_list.version],
            "best_score": [None, str(screening.best_score)],
            "matched_ent_nums": [None, [match.ent_num for match in matches]],
        },
    )
    return screening


@transaction.atomic
def screen_customer(
    actor: Any, customer: Customer | int, *, expected_version: int | None = None
) -> OfacScreening:
    """Screen the customer's names against the list in force; record the result.

    A possible match sets ofac_status=possible_match, which blocks delivery until a manager
    clears it (ofac.delivery_blocked). Re-screening a cleared customer keeps the clearance
    when it finds only the SDN records that were cleared.
    """
    locked = _lock(actor, customer, "customers.change_customer", expected_version)
    return _screen(actor, locked)


def screen_after_change(actor: Any, customer: Customer) -> OfacScreening | None:
    """For the customers' own actions, inside their transaction, after a create or a change
    of name: screen when a list is loaded (None when none is), without a permission check
    of its own (the calling action checked its own). Bumps customer.version."""
    if ofac.current_list() is None or not ofac.customer_names(customer):
        return None
    locked = Customer.objects.select_for_update().get(pk=customer.pk)
    screening = _screen(actor, locked)
    for name in ("ofac_status", "ofac_screened_at", "ofac_list_version", "version", "updated_at"):
        setattr(customer, name, getattr(locked, name))
    return screening


@transaction.atomic
def clear_ofac_match(
    actor: Any, customer: Customer | int, *, reason: str, expected_version: int | None = None
) -> Customer:
    """A manager confirms a possible match is not the listed party; delivery may go ahead."""
    locked = _lock(actor, customer, "customers.clear_ofac_customer", expected_version)
    if locked.ofac_status != OfacStatus.POSSIBLE_MATCH:
        raise ValidationError({"__all__": "Only a possible OFAC match can be cleared."})
    reason = _reason(reason)
    before = locked.ofac_status
    locked.ofac_status = OfacStatus.CLEARED
    locked.ofac_cleared_by = _user(actor)
    locked.ofac_cleared_at = timezone.now()
    _save(locked, ["ofac_status", "ofac_cleared_by", "ofac_cleared_at"])
    audit.record(
        actor,
        "customers.ofac_clear",
        locked,
        {"ofac_status": [before, locked.ofac_status], "reason": [None, reason]},
    )
    return locked


# --- legal hold ------------------------------------------------------------------------------


@transaction.atomic
def set_legal_hold(
    actor: Any, customer: Customer | int, *, reason: str, expected_version: int | None = None
) -> Customer:
    """Keep the customer from disposal (litigation, investigation, regulator request)."""
    locked = _lock(actor, customer, "customers.hold_legal_customer", expected_version)
    if locked.anonymized_at is not None:
        raise ValidationError({"__all__": "This customer was already anonymized."})
    reason = _reason(reason)
    before = [locked.legal_hold, locked.legal_hold_reason]
    locked.legal_hold = True
    locked.legal_hold_reason = reason
    _save(locked, ["legal_hold", "legal_hold_reason"])
    audit.record(
        actor,
        "customers.legal_hold_set",
        locked,
        {"legal_hold": [before[0], True], "legal_hold_reason": [before[1], reason]},
    )
    return locked


@transaction.atomic
def lift_legal_hold(
    actor: Any, customer: Customer | int, *, reason: str, expected_version: int | None = None
) -> Customer:
    """End a legal hold; the customer is subject to the retention period again."""
    locked = _lock(actor, customer, "customers.hold_legal_customer", expected_version)
    if not locked.legal_hold:
        raise ValidationError({"__all__": "This customer has no legal hold."})
    reason = _reason(reason)
    before = locked.legal_hold_reason
    locked.legal_hold = False
    locked.legal_hold_reason = ""
    _save(locked, ["legal_hold", "legal_hold_reason"])
    audit.record(
        actor,
        "customers.legal_hold_lift",
        locked,
        {"legal_hold": [True, False], "legal_hold_reason": [before, ""], "reason": [None, reason]},
    )
    return locked


# --- disposal ------------------------------------------------------------------------------

# What anonymization empties on the customer. Kept: kind, region and country (no person is
# found from a state), preferred language, consent flags and their history (evidence of what
# was allowed), the salesperson, rooftop, dates, OFAC result and list version.
ERASED_TEXT = (
    "first_name",
    "middle_name",
    "business_name",
    "email",
    "alt_email",
    "mobile_phone",
    "home_phone",
    "work_phone",
    "address_line1",
    "address_line2",
    "city",
    "postal_code",
    "notes",
    "drivers_license_number",
    "drivers_license_state",
    "ssn",
    "employer",
)
ERASED_NULL = ("date_of_birth", "income")
BLIND_INDEXES = ("date_of_birth_index", "ssn_index", "ssn_last4_index")


def anonymized_name(customer: Customer) -> str:
    return f"Anonymized customer {customer.pk}"


def _erase(customer: Customer) -> list[str]:
    """Empty the customer's personal fields; the names of those that held something."""
    removed = [name for name in (*ERASED_TEXT, *ERASED_NULL) if getattr(customer, name)]
    removed += ["tags"] if customer.tags else []
    for name in ERASED_TEXT:
        setattr(customer, name, "")
    for name in ERASED_NULL:
        setattr(customer, name, None)
    customer.last_name = anonymized_name(customer)[:100]
    if customer.kind == CustomerKind.BUSINESS:
        customer.business_name = anonymized_name(customer)
    customer.tags = []
    customer.anonymized_at = timezone.now()
    # save() recomputes the blind indexes from the emptied sources: they become "".
    _save(
        customer, [*ERASED_TEXT, *ERASED_NULL, *BLIND_INDEXES, "last_name", "tags", "anonymized_at"]
    )
    return ["last_name", *removed]


def _erase_related(customer_ids: list[int], label: str) -> dict[str, int]:
    """Personal text on the customers' timeline; the rows, ids and dates stay."""
    leads = Lead.objects.filter(customer_id__in=customer_ids).update(notes="", lost_note="")
    activities = Activity.objects.filter(customer_id__in=customer_ids).update(
        subject="", body="", drivers_license_number="", drivers_license_state=""
    )
    consents = CustomerConsent.objects.filter(customer_id__in=customer_ids).update(note="")
    screenings = OfacScreening.objects.filter(customer_id__in=customer_ids).update(
        screened_name=label
    )
    return {
        "leads": leads,
        "activities": activities,
        "consents": consents,
        "screenings": screenings,
    }


def _merged_into(customer: Customer) -> list[Customer]:
    """Every record merged (directly or through a chain) into this customer."""
    found: list[Customer] = []
    frontier = [customer.pk]
    while frontier:
        batch = list(Customer.objects.select_for_update().filter(merged_into_id__in=frontier))
        found += batch
        frontier = [c.pk for c in batch]
    return found


@transaction.atomic
def anonymize_customer(
    actor: Any, customer: Customer | int, *, reason: str, idle_before: datetime | None = None
) -> Customer:
    """Dispose of a customer's personal data for good (Safeguards 314.4(c)(6)). Irreversible.

    Refused while a legal hold or open business keeps the customer. Records merged into it
    are anonymized with it. Leads, activities, consents and screenings keep their rows (the
    business record stays consistent) with their personal text removed.
    """
    locked = _lock(actor, customer, "customers.dispose_customer", None)
    why_not = retention.blocker(locked)
    if not why_not and idle_before is not None and locked.last_activity_at >= idle_before:
        why_not = "This customer has had activity within the retention period."
    if why_not:
        raise ValidationError({"__all__": why_not})
    reason = _reason(reason)
    removed = _erase(locked)
    merged = _merged_into(locked)
    for record in merged:
        _erase(record)
    ids = [locked.pk, *(record.pk for record in merged)]
    cleared = _erase_related(ids, anonymized_name(locked))
    # Field names and counts only: the audit log must not keep what was just removed.
    audit.record(
        actor,
        "customers.anonymize",
        locked,
        {
            "anonymized_at": [None, audit.snapshot(locked, ["anonymized_at"])["anonymized_at"]],
            "fields_removed": [None, sorted(removed)],
            "merged_records_anonymized": [None, len(merged)],
            **{f"{kind}_cleared": [None, count] for kind, count in cleared.items()},
            "reason": [None, reason],
        },
    )
    return locked


@transaction.atomic
def export_retention_report(actor: Any) -> str:
    """The retention report as CSV (no contact or sensitive values); the export is audited."""
    text = retention.report_csv(actor)
    rows = max(0, len(text.splitlines()) - 1)
    audit.record(actor, "customers.export_retention_report", actor, {"rows": [None, rows]})
    return text


def dispose_eligible_customers(
    *, now: datetime | None = None, days: int | None = None, batch_size: int = DISPOSAL_BATCH
) -> dict[str, int]:
    """The nightly job: anonymize every customer due, each in its own transaction.

    One failure is logged (by id) and skipped, never stops the rest; the next night retries.
    The log holds counts and ids only.
    """
    now = now or timezone.now()
    days = retention.retention_days() if days is None else days
    idle_before = now - timedelta(days=days)
    disposed = failed = 0
    last_pk = 0
    while True:
        due = list(
            retention.eligible_for_disposal(now, days)
            .filter(pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not due:
            break
        for pk in due:
            try:
                anonymize_customer(
                    None, pk, reason="Retention period ended.", idle_before=idle_before
                )
                disposed += 1
            except (ValidationError, Customer.DoesNotExist):
                pass  # something keeps it now (a lead opened since the query): not due
            except Exception:
                failed += 1
                logger.exception(
                    "retention disposal failed",
                    extra={"event": "retention_dispose_failed", "customer_id": pk},
                )
        last_pk = due[-1]
    summary = {"disposed": disposed, "failed": failed}
    logger.info("retention disposal finished", extra={"event": "retention_disposal", **summary})
    return summary
