"""Every write to credit applications: take one, record the red-flags check and the
lender's decision, print it for a lender, and dispose of it when Regulation B allows.

Each action checks the permission and the rooftop, locks the row, checks the version it was
given, and writes an audit entry that names fields, never their sensitive values.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from forecourt.core import audit
from forecourt.core.concurrency import VersionConflict
from forecourt.core.permissions import require_permission, sees_all_rooftops
from forecourt.customers.models import Customer
from forecourt.finance.calc.actuarial import add_months
from forecourt.finance.credit.models import (
    NOTIFIED_STATUSES,
    RED_FLAGS,
    SENSITIVE_FIELDS,
    ApplicantRole,
    CreditApplicant,
    CreditApplication,
)

logger = logging.getLogger("forecourt.finance")
REG_B_RETENTION_MONTHS = 25
# What an applicant form offers, in the order it shows it.
APPLICANT_FIELDS = (
    "first_name",
    "last_name",
    "phone",
    "email",
    "date_of_birth",
    "ssn",
    "address",
    "housing_status",
    "housing_payment",
    "months_at_address",
    "previous_address",
    "employer",
    "occupation",
    "months_employed",
    "previous_employer",
    "monthly_income",
    "other_monthly_income",
    "other_income_source",
)


class CreditApplicationVersionConflict(VersionConflict):
    record_name = "credit application"


def _require_rooftop(actor: Any, rooftop_id: int) -> None:
    if not (sees_all_rooftops(actor) or actor.rooftops.filter(pk=rooftop_id).exists()):
        raise PermissionDenied("This application belongs to a rooftop you do not work at.")


def _lock(actor: Any, application: CreditApplication | int, permission: str) -> CreditApplication:
    require_permission(actor, permission)
    pk = application.pk if isinstance(application, CreditApplication) else application
    locked = CreditApplication.objects.select_for_update().get(pk=pk)
    _require_rooftop(actor, locked.rooftop_id)
    if locked.disposed_at is not None:
        raise ValidationError({"__all__": "This application's data was disposed of."})
    return locked


def _check_version(application: CreditApplication, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != application.version:
        raise CreditApplicationVersionConflict(application.version)


def _save(application: CreditApplication, fields: list[str]) -> None:
    application.version += 1
    application.updated_at = timezone.now()
    application.save(update_fields=[*fields, "version", "updated_at"])


def _applicant(
    application: CreditApplication, role: ApplicantRole, fields: Mapping[str, Any], key: str
) -> CreditApplicant:
    unknown = set(fields) - set(APPLICANT_FIELDS)
    if unknown:
        raise ValidationError({f"{key}.{name}": "Unknown field." for name in sorted(unknown)})
    applicant = CreditApplicant(application=application, role=role, **fields)
    try:
        applicant.full_clean(exclude=["application"], validate_constraints=False)
    except ValidationError as error:
        raise ValidationError(
            {f"{key}.{name}": messages for name, messages in error.message_dict.items()}
        ) from None
    for name in ("housing_payment", "monthly_income", "other_monthly_income"):
        amount = getattr(applicant, name)
        if amount not in (None, "") and Decimal(amount) < 0:
            raise ValidationError({f"{key}.{name}": "Must not be negative."})
    return applicant


@transaction.atomic
def take_credit_application(
    actor: Any,
    customer: Customer,
    applicant: Mapping[str, Any],
    co_applicant: Mapping[str, Any] | None = None,
) -> CreditApplication:
    """A new application for a customer, with its applicant and optional co-applicant."""
    require_permission(actor, "finance.add_creditapplication")
    _require_rooftop(actor, customer.rooftop_id)
    if customer.anonymized_at is not None:
        raise ValidationError({"customer": "This customer's details were disposed of."})
    application = CreditApplication(
        rooftop_id=customer.rooftop_id, customer=customer, created_by=actor
    )
    people = [_applicant(application, ApplicantRole.APPLICANT, applicant, "applicant")]
    if co_applicant:
        people.append(
            _applicant(application, ApplicantRole.CO_APPLICANT, co_applicant, "co_applicant")
        )
    application.save()
    for person in people:
        person.application = application
        person.save()
    audit.record(
        actor,
        "finance.take_credit_application",
        application,
        {
            "customer": [None, customer.pk],
            "applicants": [None, [person.role for person in people]],
            # Which sensitive fields were given, never their values.
            "sensitive_fields": [
                None,
                sorted(
                    {
                        name
                        for person in people
                        for name in SENSITIVE_FIELDS
                        if getattr(person, name) not in (None, "")
                    }
                ),
            ],
        },
    )
    return application


@transaction.atomic
def record_red_flags(
    actor: Any,
    application: CreditApplication | int,
    found: Mapping[str, bool],
    note: str,
    expected_version: int | None,
) -> CreditApplication:
    """The Red Flags Rule check: every flag answered, found or not, by whom and when."""
    locked = _lock(actor, application, "finance.change_creditapplication")
    _check_version(locked, expected_version)
    unknown = set(found) - RED_FLAGS.keys()
    if unknown:
        raise ValidationError({"red_flags": f"Unknown flags: {', '.join(sorted(unknown))}."})
    answers = {code: bool(found.get(code, False)) for code in RED_FLAGS}
    if any(answers.values()) and not note.strip():
        raise ValidationError({"red_flags_note": "Say what was done about the flags found."})
    before = locked.red_flags
    locked.red_flags = answers
    locked.red_flags_note = note.strip()
    locked.red_flags_checked_by = actor
    locked.red_flags_checked_at = timezone.now()
    _save(locked, ["red_flags", "red_flags_note", "red_flags_checked_by", "red_flags_checked_at"])
    audit.record(actor, "finance.record_red_flags", locked, {"red_flags": [before, answers]})
    return locked


@transaction.atomic
def record_decision(
    actor: Any,
    application: CreditApplication | int,
    status: str,
    notified_on: date,
    expected_version: int | None,
) -> CreditApplication:
    """The outcome the applicant was told of; the 25-month Regulation B clock starts then."""
    locked = _lock(actor, application, "finance.change_creditapplication")
    _check_version(locked, expected_version)
    if status not in NOTIFIED_STATUSES:
        raise ValidationError({"status": "Choose the outcome the applicant was notified of."})
    if notified_on > timezone.localdate():
        raise ValidationError({"notified_on": "Must not be in the future."})
    if notified_on < locked.created_at.date():
        raise ValidationError({"notified_on": "Must not be before the application was taken."})
    before = audit.snapshot(locked, ["status", "notified_on", "retain_until"])
    locked.status = status
    locked.notified_on = notified_on
    locked.retain_until = add_months(notified_on, REG_B_RETENTION_MONTHS)
    _save(locked, ["status", "notified_on", "retain_until"])
    after = audit.snapshot(locked, ["status", "notified_on", "retain_until"])
    audit.record(actor, "finance.record_credit_decision", locked, audit.diff(before, after))
    return locked


@transaction.atomic
def print_for_lender(actor: Any, application: CreditApplication | int) -> CreditApplication:
    """Printing the full application reveals every field: the reveal permission, audited."""
    locked = _lock(actor, application, "finance.reveal_creditapplicant")
    audit.record(actor, "finance.print_credit_application", locked, {"printed": [None, True]})
    return locked


def _erase(application: CreditApplication, now: datetime) -> None:
    for person in application.applicants.all():
        for name in SENSITIVE_FIELDS:
            field = CreditApplicant._meta.get_field(name)
            setattr(person, name, None if field.null else "")
        person.save(update_fields=list(SENSITIVE_FIELDS))
    application.disposed_at = now
    application.save(update_fields=["disposed_at"])


def dispose_expired_applications(now: datetime | None = None) -> int:
    """The nightly job: erase the applicants' data of every application past retain_until.

    An application with no notified decision has no retain_until and is kept; so is one
    under a legal hold. Each application is erased in its own transaction.
    """
    now = now or timezone.now()
    due = CreditApplication.objects.filter(
        retain_until__lt=now.date(), legal_hold=False, disposed_at__isnull=True
    ).values_list("pk", flat=True)
    disposed = 0
    for pk in list(due):
        with transaction.atomic():
            application = CreditApplication.objects.select_for_update().get(pk=pk)
            _erase(application, now)
            audit.record(
                None,
                "finance.dispose_credit_application",
                application,
                {"fields_removed": [None, list(SENSITIVE_FIELDS)]},
            )
            disposed += 1
    logger.info("Disposed of %s credit applications", disposed, extra={"event": "credit_disposal"})
    return disposed
