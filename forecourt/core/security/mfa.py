"""Multi-factor authentication with django-otp: TOTP apps and one-time recovery codes.

The writes are in actions/mfa.py (one transaction each, audited). Verification goes through
django-otp, which locks the device row, refuses a code at or before the last accepted
time step (replay) or outside one step of tolerance (stale), and throttles failures.
"""

from __future__ import annotations

import base64
import io
import re
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.http import HttpRequest
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp import verify_token as otp_verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key
from django_otp_webauthn.models import WebAuthnCredential

from forecourt.core.security import reauth

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
TOTP_SHAPE = re.compile(r"^\d{6}$")
PENDING_TOTP_KEY = "_forecourt_pending_totp_key"


def has_confirmed_device(user: Any) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def is_demo_exempt(user: Any) -> bool:
    """Development-only: demo accounts may skip MFA (settings.FORECOURT_MFA_DEMO_EXEMPT)."""
    email = str(getattr(user, "email", ""))
    domain = settings.FORECOURT_DEMO_EMAIL_DOMAIN
    return bool(settings.FORECOURT_MFA_DEMO_EXEMPT) and email.endswith(f"@{domain}")


def is_verified(user: Any) -> bool:
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def pending_totp_device(request: HttpRequest) -> TOTPDevice:
    """An unsaved TOTP device whose secret waits in the session until a code confirms it.

    Nothing is written to the database before the user proves the app has the secret
    (a GET changes no rows), and a reload shows the same QR code.
    """
    key = request.session.get(PENDING_TOTP_KEY)
    if not isinstance(key, str) or not key:
        key = default_key()
        request.session[PENDING_TOTP_KEY] = key
    return TOTPDevice(user=request.user, name=TOTP_DEVICE_NAME, key=key, confirmed=False)


def secret_for_manual_entry(device: TOTPDevice) -> str:
    """The base32 secret, grouped in fours, for apps where the QR can't be scanned."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URL as an SVG QR code in a data: URI (an <img>, so CSP holds)."""
    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2
    )
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def new_recovery_codes(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def match_second_factor(user: Any, token: str) -> Device | None:
    """The user's confirmed device that accepts `token` (used up: TOTP steps, recovery codes).

    Six digits go to the TOTP devices only, anything else to the recovery codes, so a
    recovery code never counts as a failed TOTP attempt (and vice versa).
    """
    token = token.strip().replace(" ", "").lower()
    device_class: type[Device] = TOTPDevice if TOTP_SHAPE.match(token) else StaticDevice
    for device in device_class.objects.filter(user=user, confirmed=True):
        verified = otp_verify_token(user, device.persistent_id, token)
        if verified is not None:
            return verified
    return None


def step_up(request: HttpRequest, device: Device) -> None:
    """The session now carries a second factor: mark it, rotate its key, refresh sudo."""
    otp_login(request, device)
    request.session.cycle_key()
    reauth.mark_recent_auth(request)


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def drop_recovery_codes_without_factor(user: Any) -> None:
    """Recovery codes stand in for a lost factor: with no factor left they go too, and
    the user enrols afresh at the next request."""
    for model in (TOTPDevice, WebAuthnCredential):
        if model.objects.filter(user=user, confirmed=True).exists():
            return
    StaticDevice.objects.filter(user=user).delete()
