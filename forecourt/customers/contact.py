"""Contact details in one canonical form: phones in E.164, emails lower-cased.

Duplicate detection and search compare stored values with plain equality, so every
phone and email is normalised here on the way in, and every search query the same way.
"""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

DEFAULT_COUNTRY = "US"


def normalize_phone(raw: str, country: str = DEFAULT_COUNTRY) -> str:
    """'(415) 555-2671' -> '+14155552671'. A leading '+' overrides `country`.

    Raises ValidationError with a message fit to show next to the field.
    """
    text = (raw or "").strip()
    if not text:
        raise ValidationError("Enter a phone number.")
    try:
        number = phonenumbers.parse(text, (country or DEFAULT_COUNTRY).upper())
    except phonenumbers.NumberParseException:
        raise ValidationError(
            f"{text!r} is not a phone number. Enter it with its area code, "
            "or in international form (+44 20 7946 0958)."
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            f"{text!r} is not a valid phone number for {country or DEFAULT_COUNTRY}; "
            "check the digits and the area code."
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def try_normalize_phone(raw: str, country: str = DEFAULT_COUNTRY) -> str | None:
    """A search query's phone in E.164, or None when the text is not a phone number."""
    try:
        return normalize_phone(raw, country)
    except ValidationError:
        return None


def format_phone(e164: str) -> str:
    """E.164 for display: '+14155552671' -> '+1 415-555-2671'."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normalize_email(raw: str) -> str:
    """'  Ana.Diaz@Example.COM ' -> 'ana.diaz@example.com'; raises ValidationError."""
    text = (raw or "").strip()
    if not text:
        raise ValidationError("Enter an email address.")
    try:
        validate_email(text)
    except ValidationError:
        raise ValidationError(f"{text!r} is not a valid email address.") from None
    # The local part is case-sensitive in theory; no mail system we deliver to treats it so,
    # and one canonical spelling is what makes duplicate detection work.
    return text.lower()
