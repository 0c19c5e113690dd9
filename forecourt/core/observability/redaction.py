"""Keep secrets and sensitive customer data out of logs and alerts.

Values under a sensitive key are replaced whole; free text is scrubbed of bearer
tokens, `key=value` pairs with sensitive keys, JSON pairs and US social security numbers.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

REDACTED = "[REDACTED]"

# Substrings that make a key sensitive wherever they appear ("csrfmiddlewaretoken")...
_SENSITIVE_PARTS = (
    r"passw(?:or)?d|passphrase|secret|token|api[_-]?key|authori[sz]ation|cookie|csrf|session"
    r"|social[_-]?security|date[_-]?of[_-]?birth|birth[_-]?date|licen[cs]e|income|salary|bank"
    r"|account[_-]?number|routing[_-]?number|card[_-]?number|tax[_-]?id|signature|private[_-]?key"
)
# ...and short words that do only as a whole word ("dob", not "adobe").
_SENSITIVE_WORDS = r"ssn|dob|pwd|iban|cvv|pin|sin"
_SENSITIVE_KEY = re.compile(
    rf"(?:{_SENSITIVE_PARTS})|(?:^|[_\-.\s])(?:{_SENSITIVE_WORDS})(?:$|[_\-.\s])", re.IGNORECASE
)
_ANY = rf"(?:{_SENSITIVE_PARTS}|{_SENSITIVE_WORDS})"

# One-time links (password reset, invitations) carry their credential in the path: the token
# segment goes, the rest of the link stays readable. Django's "set-password" step follows
# the reset token's redirect and holds no secret.
_LINK_TOKEN = re.compile(
    r"(?i)(/(?:password-reset/[^/\s?#\"']+|invitations?(?:/accept)?|invite)/)"
    r"(?!set-password/|sent/|done/)[^/\s?#\"']+"
)


def redact_links(text: str) -> str:
    """`text` with the token of every one-time link replaced (also for mail bodies)."""
    return _LINK_TOKEN.sub(rf"\1{REDACTED}", text)


_TEXT_PATTERNS = [
    (_LINK_TOKEN, rf"\1{REDACTED}"),
    (re.compile(r"(?i)\b(bearer|basic|token)\s+[A-Za-z0-9._~+/=-]{6,}"), rf"\1 {REDACTED}"),
    (
        re.compile(rf"(?i)((?:^|[?&;,\s\"'{{(])\w*{_ANY}\w*=)([^&;,\s\"'}})]+)"),
        rf"\1{REDACTED}",
    ),
    (
        re.compile(rf"(?i)(\"[\w-]*?{_ANY}[\w-]*\"\s*:\s*)(\"[^\"]*\"|[^,}}\s]+)"),
        rf'\1"{REDACTED}"',
    ),
    (
        re.compile(rf"(?i)('[\w-]*?{_ANY}[\w-]*'\s*:\s*)('[^']*'|[^,}}\s]+)"),
        rf"\1'{REDACTED}'",
    ),
    (re.compile(r"\b\d{3}-\d{2}-\d{4}\b"), REDACTED),
]


# Every pattern above needs one of these: whitespace (bearer/basic/token), "=" (key=value),
# a double or single quote (JSON and dict pairs), an SSN's shape or a one-time link. Text
# without any is returned as is after one scan instead of five (most log values: routes such as
# "api:list_vehicles", paths, ids, addresses, timestamps).
_MAY_NEED_REDACTION = re.compile(r"[\s=\"']|\d{3}-\d{2}-\d{4}|reset/|invit")
# Values with nothing to scrub (checked by exact type first: cheaper than the ABC checks).
_SCALARS = frozenset({int, float, bool, type(None)})


@functools.lru_cache(maxsize=2048)  # log keys come from code: a small, fixed set
def is_sensitive_key(key: str) -> bool:
    # camelCase keys ("apiToken", "customerDob"): separate the words first.
    return bool(_SENSITIVE_KEY.search(re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", key)))


def redact_text(text: str) -> str:
    if not _MAY_NEED_REDACTION.search(text):
        return text
    for pattern, replacement in _TEXT_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def redact(value: Any, *, depth: int = 0) -> Any:
    """A copy of `value` (dicts, lists, strings) with sensitive parts replaced."""
    kind = type(value)
    if kind is str:
        return redact_text(value)
    if kind in _SCALARS or depth > 8:
        return value
    if isinstance(value, Mapping):
        return {
            key: (
                REDACTED
                if isinstance(key, str) and is_sensitive_key(key)
                else redact(item, depth=depth + 1)
            )
            for key, item in value.items()
        }
    if isinstance(value, list | tuple | set):
        return [redact(item, depth=depth + 1) for item in value]
    if isinstance(value, str):
        return redact_text(value)
    return value
