"""Field-level encryption of customer data (Safeguards Rule 314.4(c)(3)).

AES-256-GCM from the `cryptography` library. A stored value reads
``fc1:<key id>:<base64url(12-byte nonce + ciphertext + tag)>``; the key id beside the
ciphertext lets keys rotate: the first key of FIELD_ENCRYPTION_KEYS encrypts, every key
listed decrypts, and ``forecourt rotate-keys`` re-encrypts old values with the current key.

Encrypted columns cannot be searched (each encryption is randomised). Exact lookup goes
through a blind index: an HMAC-SHA256 of the normalised value under FIELD_HASH_KEY
(see fields.BlindIndexField). Display goes through pii.masked(...); the full value is shown
only by the audited reveal action (core/security/actions/reveal.py).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

VERSION = "fc1"
NONCE_BYTES = 12


class DecryptionError(Exception):
    """A stored value is not ours, was tampered with, or its key is no longer configured."""


def _keys() -> dict[str, bytes]:
    keys: dict[str, bytes] = settings.FIELD_ENCRYPTION_KEYS
    return keys


def current_key_id() -> str:
    return next(iter(_keys()))


def key_id_of(token: str) -> str:
    """The key id a stored value was encrypted with."""
    parts = token.split(":", 2)
    if len(parts) != 3 or parts[0] != VERSION:
        raise DecryptionError("not an encrypted value")
    return parts[1]


def encrypt(plaintext: str) -> str:
    kid = current_key_id()
    nonce = os.urandom(NONCE_BYTES)
    # The key id is authenticated data: a value cannot be passed off under another key's id.
    sealed = AESGCM(_keys()[kid]).encrypt(nonce, plaintext.encode(), f"{VERSION}:{kid}".encode())
    return f"{VERSION}:{kid}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def decrypt(token: str) -> str:
    kid = key_id_of(token)
    key = _keys().get(kid)
    if key is None:
        raise DecryptionError(f"key {kid!r} is not configured (FIELD_ENCRYPTION_KEYS)")
    try:
        raw = base64.urlsafe_b64decode(token.split(":", 2)[2])
        plaintext = AESGCM(key).decrypt(
            raw[:NONCE_BYTES], raw[NONCE_BYTES:], f"{VERSION}:{kid}".encode()
        )
    except (InvalidTag, ValueError, binascii.Error):
        raise DecryptionError("the value does not decrypt (tampered or wrong key)") from None
    return plaintext.decode()


def blind_index(value: str, purpose: str) -> str:
    """HMAC-SHA256 of `value` for `purpose`: equal inputs give equal hex digests, nothing more.

    The purpose separates indexes, so an SSN's digest in one column cannot be matched
    against a licence number's digest in another.
    """
    message = f"{purpose}\x00{value}".encode()
    return hmac.new(settings.FIELD_HASH_KEY, message, hashlib.sha256).hexdigest()


def new_key() -> str:
    """A fresh random 256-bit key, base64-encoded, for FIELD_ENCRYPTION_KEYS or FIELD_HASH_KEY."""
    return base64.b64encode(os.urandom(32)).decode()
