"""Writes to a customer's record: create, update, consent, and the last-activity clock.

Each runs in one transaction, checks the actor's permission and rooftop, validates and
normalises its input (phones E.164, emails lower-cased), writes, and records its audit
entry. Sensitive values (SSN, date of birth, licence, employer, income) never enter an
audit entry or a log line: only the fact that they changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from forecourt.accounts.models import Rooftop, User
from forecourt.core import audit
from forecourt.core.concurrency import VersionConflict
from forecourt.core.permissions import require_permission, sees_all_rooftops
from forecourt.core.security.fields import BlindIndexField
from forecourt.core.security.masking import digits_only
from forecourt.customers.compliance.actions.screening import screen_after_change
from forecourt.customers.consent import CONSENT_FIELDS, consent_field
from forecourt.customers.contact import DEFAULT_COUNTRY, normalize_email, normalize_phone
from forecourt.customers.models import (
    SENSITIVE_FIELDS,
    ConsentSource,
    Customer,
    CustomerConsent,
    CustomerKind,
    Language,
)

PHONE_FIELDS = ("mobile_phone", "home_phone", "work_phone")
EMAIL_FIELDS = ("email", "alt_email")
NAME_FIELDS = ("first_name", "middle_name", "last_name", "business_name")
ADDRESS_FIELDS = ("address_line1", "address_line2", "city", "region", "postal_code", "country")
# Personal details the audit log records as changed, never by value: the log is append-only
# and outlives a retention disposal (Safeguards 314.4(c)(6)), so it must not hold them.
PERSONAL_FIELDS = (
    *NAME_FIELDS,
    *EMAIL_FIELDS,
    *PHONE_FIELDS,
    "address_line1",
    "address_line2",
    "city",
    "postal_code",
    "notes",
)
CONSENT_KEYS = tuple(CONSENT_FIELDS.values())
EDITABLE_FIELDS = frozenset(
    {
        "kind",
        *NAME_FIELDS,
        *EMAIL_FIELDS,
        *PHONE_FIELDS,
        *ADDRESS_FIELDS,
        "preferred_language",
        "notes",
        "tags",
        "assigned_salesperson",
        *SENSITIVE_FIELDS,
        *CONSENT_KEYS,
    }
)
MAX_TAGS = 20
MAX_TAG_LENGTH = 40
MAX_DUPLICATES_SHOWN = 10
HIDDEN = "(hidden)"


class DuplicateCustomerError(ValidationError):
    """The new customer looks like one (or more) already on file at this rooftop."""

    def __init__(self, matches: list[Customer]) -> None:
        self.matches = matches
        names = ", ".join(f"{m.display_name} (#{m.pk})" for m in matches[:3])
        super().__init__(
            {
                "__all__": [
                    f"This customer may already exist: {names}. Open the existing record, "
                    "or create a new one anyway."
                ]
            }
        )


class CustomerVersionConflict(VersionConflict):
    """The customer changed since the caller read it (optimistic concurrency)."""

    record_name = "customer"


# --- helpers -------------------------------------------------------------------------


def person_or_none(actor: Any) -> Any:
    """The acting user for a `created_by`-style column; None for the system."""
    return actor if getattr(actor, "is_authenticated", False) else None


def require_rooftop(actor: Any, rooftop_id: int) -> None:
    if not (sees_all_rooftops(actor) or actor.rooftops.filter(pk=rooftop_id).exists()):
        raise PermissionDenied("This customer belongs to a rooftop you do not work at.")


def _lock(actor: Any, customer: Customer | int, permission: str) -> Customer:
    """Check the permission, lock the row and check the rooftop. Returns the fresh row."""
    require_permission(actor, permission)
    pk = customer.pk if isinstance(customer, Customer) else customer
    locked = Customer.objects.select_for_update().get(pk=pk)
    require_rooftop(actor, locked.rooftop_id)
    return locked


def phone_country(rooftop: Rooftop | None) -> str:
    """Numbers typed without '+' are read in the rooftop's country."""
    return (getattr(rooftop, "country", "") or DEFAULT_COUNTRY).upper()


def audit_snapshot(customer: Customer) -> dict[str, Any]:
    """The audited values of a customer, sensitive ones reduced to set/blank."""
    snapshot = audit.snapshot(customer)
    for name in SENSITIVE_FIELDS:
        snapshot[name] = getattr(customer, name)
    for field in customer._meta.concrete_fields:
        if isinstance(field, BlindIndexField):
            snapshot.pop(field.attname, None)
    return snapshot


def audit_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """audit.diff, except that sensitive and personal values show only as hidden or blank."""
    changes = audit.diff(before, after)
    for name in (*SENSITIVE_FIELDS, *PERSONAL_FIELDS):
        if name in changes:
            changes[name] = [v if v in (None, "") else HIDDEN for v in changes[name]]
    return changes


def _clean_text(value: Any, max_length: int) -> str:
    return str(value or "").strip()[:max_length]


def _clean_tags(raw: Any) -> list[str]:
    if isinstance(raw, str):
        raw = raw.split(",")
    tags: list[str] = []
    for item in raw or []:
        tag = str(item).strip().lower()
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise ValidationError({"tags": f"A tag has at most {MAX_TAG_LENGTH} characters."})
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ValidationError({"tags": f"At most {MAX_TAGS} tags."})
    return tags


def _clean_ssn(raw: Any) -> str:
    digits = digits_only(str(raw or ""))
    if not digits:
        return ""
    if len(digits) != 9 or digits[:3] in ("000", "666") or digits[0] == "9":
        raise ValidationError({"ssn": "An SSN has nine digits (123-45-6789)."})
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"


def _clean_date_of_birth(raw: Any) -> dt.date | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if not isinstance(raw, dt.date):
        try:
            raw = dt.date.fromisoformat(str(raw).strip())
        except ValueError:
            raise ValidationError({"date_of_birth": "Enter a date (YYYY-MM-DD)."}) from None
    today = timezone.localdate()
    if raw >= today or raw.year < today.year - 120:
        raise ValidationError({"date_of_birth": "Enter a real date of birth."})
    return raw


def _clean_income(raw: Any) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        amount = Decimal(str(raw).replace(",", "")).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"income": "Enter an amount."}) from None
    if amount < 0:
        raise ValidationError({"income": "Income cannot be negative."})
    return amount


def _clean_salesperson(raw: Any, rooftop: Rooftop) -> Any:
    if raw in (None, ""):
        return None
    if isinstance(raw, User):
        user: User | None = raw
    else:
        try:
            user = User._default_manager.filter(pk=int(raw)).first()
        except (TypeError, ValueError):
            user = None
    if user is None or not user.is_active or not user.rooftops.filter(pk=rooftop.pk).exists():
        raise ValidationError(
            {"assigned_salesperson": "Choose an active user who works at this rooftop."}
        )
    return user


def _normalise(
    data: Mapping[str, Any], rooftop: Rooftop
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The given keys validated and normalised, and the errors of those that failed."""
    unknown = set(data) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "Unknown field."))
    country = phone_country(rooftop)
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    cleaners: dict[str, Any] = {
        "ssn": _clean_ssn,
        "date_of_birth": _clean_date_of_birth,
        "income": _clean_income,
        "tags": _clean_tags,
        "assigned_salesperson": lambda raw: _clean_salesperson(raw, rooftop),
    }
    for name, raw in data.items():
        try:
            if name in PHONE_FIELDS:
                values[name] = normalize_phone(raw, country) if str(raw or "").strip() else ""
            elif name in EMAIL_FIELDS:
                values[name] = normalize_email(raw) if str(raw or "").strip() else ""
            elif name in cleaners:
                values[name] = cleaners[name](raw)
            elif name in CONSENT_KEYS:
                values[name] = bool(raw)
            elif name == "kind":
                values[name] = CustomerKind(raw or CustomerKind.PERSON).value
            elif name == "preferred_language":
                values[name] = Language(raw or Language.ENGLISH).value
            elif name == "country":
                values[name] = _clean_text(raw, 2).upper() or country
            elif name == "drivers_license_state":
                values[name] = _clean_text(raw, 20).upper()
            elif name == "notes":
                values[name] = str(raw or "").strip()
            else:
                max_length = getattr(Customer._meta.get_field(name), "max_length", None) or 200
                values[name] = _clean_text(raw, max_length)
        except ValidationError as error:
            messages = error.message_dict.get(name) if hasattr(error, "error_dict") else None
            errors.setdefault(name, []).extend(messages or error.messages)
        except ValueError:
            errors.setdefault(name, []).append("Not one of the choices.")
    return values, errors


def _check_identity(customer: Customer, errors: dict[str, list[str]]) -> None:
    """A walk-in needs little: who they are, and one way to reach them. Raises with these
    and the input's `errors` together, so a form shows every problem at once."""
    missing: dict[str, str] = {}
    if customer.kind == CustomerKind.BUSINESS:
        if not customer.business_name:
            missing["business_name"] = "A business needs its name."
    else:
        if not customer.first_name:
            missing["first_name"] = "Enter the first name."
        if not customer.last_name:
            missing["last_name"] = "Enter the last name."
    contact = (*PHONE_FIELDS, *EMAIL_FIELDS)
    # A mistyped phone is an attempt to give one: its own error says what is wrong.
    if not any(getattr(customer, name) or name in errors for name in contact):
        missing["mobile_phone"] = "Give at least one phone number or email address."
    for name, message in missing.items():
        errors.setdefault(name, []).append(message)
    if errors:
        raise ValidationError(errors)
    customer.full_clean(
        exclude=["rooftop", "assigned_salesperson", "created_by", "ofac_cleared_by", "merged_into"],
        validate_unique=False,
        validate_constraints=False,
    )


def find_duplicates(
    rooftop: Rooftop | int, values: Mapping[str, Any], *, exclude_pk: int | None = None
) -> list[Customer]:
    """Live customers of the rooftop sharing an email, a phone, or name + date of birth.

    `values` are normalised (as `_normalise` returns them); the date of birth is compared
    through its blind index, never by decrypting the table.
    """
    emails = {values.get(name) for name in EMAIL_FIELDS} - {None, ""}
    phones = {values.get(name) for name in PHONE_FIELDS} - {None, ""}
    match = Q()
    if emails:
        match |= Q(email__in=emails) | Q(alt_email__in=emails)
    if phones:
        match |= Q(mobile_phone__in=phones) | Q(home_phone__in=phones) | Q(work_phone__in=phones)
    dob = values.get("date_of_birth")
    if dob and values.get("first_name") and values.get("last_name"):
        match |= Q(
            first_name__iexact=values["first_name"],
            last_name__iexact=values["last_name"],
            date_of_birth_index=BlindIndexField.lookup_value(Customer, "date_of_birth_index", dob),
        )
    if not match:
        return []
    rooftop_id = rooftop.pk if isinstance(rooftop, Rooftop) else rooftop
    found = Customer.objects.current().filter(match, rooftop_id=rooftop_id, anonymized_at=None)
    if exclude_pk is not None:
        found = found.exclude(pk=exclude_pk)
    return list(found.order_by("id")[:MAX_DUPLICATES_SHOWN])


def _add_consent_row(
    actor: Any, customer: Customer, channel: str, granted: bool, source: str, note: str = ""
) -> CustomerConsent:
    if source not in ConsentSource.values:
        raise ValidationError({"source": f"Unknown consent source {source!r}."})
    return CustomerConsent.objects.create(
        customer=customer,
        channel=channel,
        granted=granted,
        source=source,
        recorded_by=person_or_none(actor),
        note=_clean_text(note, 200),
    )


def save_customer(customer: Customer, fields: list[str] | None = None) -> None:
    customer.version += 1
    customer.updated_at = timezone.now()
    # Any change is use of the record: the retention clock (Safeguards 314.4(c)(6)) restarts.
    customer.last_activity_at = max(customer.last_activity_at, customer.updated_at)
    if fields is None:
        customer.save()
        return
    # Blind indexes are computed in pre_save: they must be written with their sources.
    indexes = [
        f.attname
        for f in customer._meta.concrete_fields
        if isinstance(f, BlindIndexField) and f.source in fields
    ]
    customer.save(
        update_fields=[*set(fields), *indexes, "version", "updated_at", "last_activity_at"]
    )


# --- customers -----------------------------------------------------------------------


@transaction.atomic
def create_customer(
    actor: Any,
    rooftop: Rooftop,
    data: Mapping[str, Any],
    *,
    consent_source: str = ConsentSource.IN_PERSON,
    allow_duplicate: bool = False,
) -> Customer:
    """Take a new customer. Possible duplicates raise DuplicateCustomerError (with the
    matches) unless `allow_duplicate`; the override is recorded in the audit entry."""
    require_permission(actor, "customers.add_customer")
    require_rooftop(actor, rooftop.pk)
    values, errors = _normalise(data, rooftop)
    values.setdefault("country", phone_country(rooftop))
    customer = Customer(rooftop=rooftop, created_by=person_or_none(actor), **values)
    _check_identity(customer, errors)
    matches = find_duplicates(rooftop, values)
    if matches and not allow_duplicate:
        raise DuplicateCustomerError(matches)
    customer.save()
    for channel, name in CONSENT_FIELDS.items():
        if name in values:
            _add_consent_row(actor, customer, channel, values[name], consent_source)
    changes = audit_changes({}, audit_snapshot(customer))
    if matches:
        changes["created_despite_duplicates"] = [None, [m.pk for m in matches]]
    audit.record(actor, "customers.create_customer", customer, changes)
    screen_after_change(actor, customer)
    return customer


@transaction.atomic
def update_customer(
    actor: Any,
    customer: Customer | int,
    data: Mapping[str, Any],
    *,
    expected_version: int | None = None,
) -> Customer:
    """Change a customer's details. A stale `expected_version` raises CustomerVersionConflict.
    Consent flags given here are recorded like `record_consent` (source: in person)."""
    locked = _lock(actor, customer, "customers.change_customer")
    if expected_version is not None and expected_version != locked.version:
        raise CustomerVersionConflict(locked.version)
    if locked.merged_into_id is not None:
        raise ValidationError({"__all__": "This customer was merged; edit the surviving record."})
    values, errors = _normalise(data, locked.rooftop)
    before = audit_snapshot(locked)
    for name, value in values.items():
        setattr(locked, name, value)
    _check_identity(locked, errors)
    after = audit_snapshot(locked)
    changes = audit_changes(before, after)
    if not changes:
        return locked
    for channel, name in CONSENT_FIELDS.items():
        if name in changes:
            _add_consent_row(actor, locked, channel, values[name], ConsentSource.IN_PERSON)
    save_customer(locked, list(values))
    audit.record(actor, "customers.update_customer", locked, changes)
    if any(name in changes for name in (*NAME_FIELDS, "kind")):
        screen_after_change(actor, locked)
    return locked


@transaction.atomic
def record_consent(
    actor: Any, customer: Customer | int, channel: str, granted: bool, source: str, note: str = ""
) -> CustomerConsent:
    """Record a consent given or withdrawn on one channel; the current flag follows it."""
    try:
        name = consent_field(channel)
    except ValueError as error:
        raise ValidationError({"channel": str(error)}) from None
    locked = _lock(actor, customer, "customers.change_customer")
    if locked.merged_into_id is not None:
        raise ValidationError({"__all__": "This customer was merged; use the surviving record."})
    row = _add_consent_row(actor, locked, channel, bool(granted), source, note)
    before = getattr(locked, name)
    setattr(locked, name, bool(granted))
    save_customer(locked, [name])
    audit.record(
        actor,
        "customers.record_consent",
        locked,
        {name: [before, bool(granted)], "source": [None, source]},
    )
    if isinstance(customer, Customer):
        setattr(customer, name, bool(granted))
        customer.version = locked.version
    return row


def note_customer_activity(customer: Customer | int, at: dt.datetime | None = None) -> None:
    """Move the customer's last activity forward (retention counts from it). Not audited:
    it is called inside other apps' actions, which audit the activity itself. Never past
    now: booking next week's appointment is contact today, and a future date would hold
    back the record's disposal."""
    now = timezone.now()
    moment = min(at, now) if at is not None else now
    pk = customer.pk if isinstance(customer, Customer) else customer
    Customer.objects.filter(pk=pk, last_activity_at__lt=moment).update(last_activity_at=moment)
    if isinstance(customer, Customer) and customer.last_activity_at < moment:
        customer.last_activity_at = moment
