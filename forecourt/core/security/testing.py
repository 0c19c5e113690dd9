"""Test helpers: a signed-in test client that has also passed MFA and re-authenticated, and
the test environment's password hasher."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.hashers import Argon2PasswordHasher
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from forecourt.core.security.sessions import RECENT_AUTH_AT


def confirmed_totp_device(user: Any) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test authenticator")


def pass_mfa(client: Any, user: Any, *, recent_auth: bool = True) -> TOTPDevice:
    """Mark the client's (force_login) session as verified with a second factor, as the
    MFA page would, and optionally as recently re-authenticated (sudo mode)."""
    device = confirmed_totp_device(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    if recent_auth:
        session[RECENT_AUTH_AT] = time.time()
    session.save()
    return device


class CheapArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id at its cheapest, for FORECOURT_ENV=test only (settings.PASSWORD_HASHERS).

    The same algorithm and code path as production's hasher, so hashes still read
    `argon2$argon2id$...`; only the cost is lowered. Production's parameters (~100 MB and
    ~0.1 s per hash, the point of Argon2) made every sign-in and every user with a password
    cost a tenth of a second, minutes over the suite."""

    time_cost = 1
    memory_cost = 8  # KiB: Argon2's minimum, 8 per lane
    parallelism = 1
