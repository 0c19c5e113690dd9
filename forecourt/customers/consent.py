"""Whether we may contact a customer on a channel: the one rule every sender asks.

Consents are recorded by `actions.record_consent` (history in CustomerConsent, the current
state on the Customer's consent_* flags). Opting out is honoured everywhere because nothing
contacts a customer without asking `may_contact` first.
"""

from __future__ import annotations

from forecourt.customers.models import Channel, Customer

CONSENT_FIELDS: dict[str, str] = {
    Channel.CALL: "consent_call",
    Channel.SMS: "consent_sms",
    Channel.EMAIL: "consent_email",
}
# What each channel needs on file to be usable at all.
_ADDRESS_FIELDS: dict[str, tuple[str, ...]] = {
    Channel.CALL: ("mobile_phone", "home_phone", "work_phone"),
    Channel.SMS: ("mobile_phone",),
    Channel.EMAIL: ("email", "alt_email"),
}


def consent_field(channel: str) -> str:
    try:
        return CONSENT_FIELDS[channel]
    except KeyError:
        raise ValueError(f"Unknown channel {channel!r}: one of call, sms, email.") from None


def may_contact(customer: Customer, channel: str) -> bool:
    """True only while the customer's current consent on `channel` is granted, they have an
    address for it, and the record is live (not merged away or anonymised)."""
    field = consent_field(channel)
    if customer.merged_into_id is not None or customer.anonymized_at is not None:
        return False
    if not getattr(customer, field):
        return False
    return any(getattr(customer, name) for name in _ADDRESS_FIELDS[channel])
