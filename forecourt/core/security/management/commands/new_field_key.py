"""`forecourt new-field-key`: a random 256-bit key for FIELD_ENCRYPTION_KEYS or FIELD_HASH_KEY."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from forecourt.core.security.encryption import new_key


class Command(BaseCommand):
    help = (
        "Print a new random key (base64 of 32 bytes) for FIELD_ENCRYPTION_KEYS or FIELD_HASH_KEY."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(new_key())
