"""Test helpers: a signed-in test client that has also passed MFA and re-authenticated."""

from __future__ import annotations

import time
from typing import Any

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
