"""The interface a transmission to a lender would implement. Nothing here sends anything.

Forecourt prints the application for the lender (documents.py) and does not transmit it:
connecting to a lender or a credit portal (RouteOne, Dealertrack, a UK proposal platform)
means writing a `LenderGateway` and registering it with `register_gateway`, after a security
review of where the data goes (docs/finance.md, "Credit applications"). The packet carries
every revealed value, so building it is a reveal: `packet_for` needs the reveal permission
and is audited through `actions.print_for_lender`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from forecourt.finance.credit import actions
from forecourt.finance.credit.models import CreditApplicant, CreditApplication


@dataclass(frozen=True)
class ApplicantPacket:
    role: str
    first_name: str
    last_name: str
    phone: str
    email: str
    date_of_birth: date | None
    ssn: str
    address: str
    housing_status: str
    housing_payment: Decimal | None
    months_at_address: int | None
    previous_address: str
    employer: str
    occupation: str
    months_employed: int | None
    previous_employer: str
    monthly_income: Decimal | None
    other_monthly_income: Decimal | None
    other_income_source: str


@dataclass(frozen=True)
class ApplicationPacket:
    application_id: int
    dealer: str
    taken_on: date
    applicants: tuple[ApplicantPacket, ...]
    red_flags_checked: bool


@dataclass(frozen=True)
class SubmissionReceipt:
    lender_reference: str
    accepted: bool
    message: str = ""


class LenderGateway(Protocol):
    """A lender connection: submit a packet, get the lender's reference back."""

    name: str

    def submit(self, packet: ApplicationPacket) -> SubmissionReceipt: ...


class TransmissionDisabled(RuntimeError):
    pass


_GATEWAYS: dict[str, LenderGateway] = {}


def register_gateway(gateway: LenderGateway) -> None:
    _GATEWAYS[gateway.name] = gateway


def gateway(name: str) -> LenderGateway:
    try:
        return _GATEWAYS[name]
    except KeyError:
        raise TransmissionDisabled(
            f"No lender connection named {name!r}: Forecourt does not transmit credit "
            "applications; print the application for the lender instead."
        ) from None


def _applicant_packet(person: CreditApplicant) -> ApplicantPacket:
    names = [field.name for field in fields(ApplicantPacket)]
    return ApplicantPacket(**{name: getattr(person, name) for name in names})


def packet_for(actor: Any, application: CreditApplication) -> ApplicationPacket:
    """Every value in full, for a lender: needs the reveal permission; audited."""
    locked = actions.print_for_lender(actor, application)
    return ApplicationPacket(
        application_id=locked.pk,
        dealer=str(locked.rooftop),
        taken_on=locked.created_at.date(),
        applicants=tuple(_applicant_packet(person) for person in locked.applicants.all()),
        red_flags_checked=locked.red_flags_checked_at is not None,
    )
