"""Password rules (NIST SP 800-63B): long is good, composition rules are not.

Django's validators give the minimum length (12), the common-password list and
similarity to the user's attributes; these add a maximum and context-specific words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError

# The product and the trade: the first words an attacker tries against this site.
PRODUCT_WORDS = ("forecourt", "dealership")
MIN_CONTEXT_WORD = 4
# Parts of free-mail domains say nothing about the user; refusing them would only annoy.
FREE_MAIL_WORDS = {"gmail", "googlemail", "yahoo", "outlook", "hotmail", "icloud", "mail"}


class MaximumLengthValidator:
    """Refuse absurdly long passwords (hashing cost), while allowing long passphrases."""

    def __init__(self, max_length: int = 128) -> None:
        self.max_length = max_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                f"This password is too long: at most {self.max_length} characters.",
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return f"Your password can be up to {self.max_length} characters long."


def _words(text: str) -> set[str]:
    return {w for w in re.split(r"[^a-z0-9]+", text.lower()) if len(w) >= MIN_CONTEXT_WORD}


_CONTEXT_SOURCES: list[Callable[[], Iterable[str]]] = []


def register_context_words(source: Callable[[], Iterable[str]]) -> None:
    """Add texts whose words a password may not contain, e.g. accounts adds the dealer's
    rooftop codes and names (AccountsConfig.ready), so core needs no import of accounts."""
    if source not in _CONTEXT_SOURCES:
        _CONTEXT_SOURCES.append(source)


def context_words(user: Any = None) -> set[str]:
    """The product words, every registered source's words, and the user's email parts."""
    words = set(PRODUCT_WORDS)
    for source in _CONTEXT_SOURCES:
        for text in source():
            words |= _words(text)
    email = str(getattr(user, "email", "") or "")
    local, _, domain = email.partition("@")
    words |= _words(local) | _words(domain.rsplit(".", 1)[0])
    return words - FREE_MAIL_WORDS


class ContextSpecificWordsValidator:
    """Refuse passwords built on this site's or this user's own words."""

    def validate(self, password: str, user: Any = None) -> None:
        squashed = re.sub(r"[^a-z0-9]", "", password.lower())
        found = sorted(word for word in context_words(user) if word in squashed)
        if found:
            raise ValidationError(
                "This password contains a word tied to this site or your account (%(word)s).",
                code="password_context_word",
                params={"word": found[0]},
            )

    def get_help_text(self) -> str:
        return "Your password can't contain the site's name, your dealership's or your email."
