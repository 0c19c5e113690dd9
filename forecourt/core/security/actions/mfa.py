"""MFA writes: enrol and remove second factors, use a recovery code, an admin's reset.

Each is one audited operation in one transaction; the protocol helpers (pending devices,
recovery-code generation, stepping a session up) stay in mfa.py and passkeys.py.
"""

from __future__ import annotations

import time
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from forecourt.core import audit
from forecourt.core.permissions import require_permission
from forecourt.core.security import mfa, reauth
from forecourt.core.security.sessions import end_sessions


@transaction.atomic
def confirm_totp(request: HttpRequest, token: str) -> list[str] | None:
    """Save the pending TOTP device once a code from the app matches; returns new recovery
    codes, or None when the code is wrong. Ends the user's other sessions (MFA changed)."""
    user = request.user
    key = request.session.get(mfa.PENDING_TOTP_KEY)
    token = token.strip()
    if not isinstance(key, str) or not mfa.TOTP_SHAPE.match(token):
        return None
    device = TOTPDevice(user=user, name=mfa.TOTP_DEVICE_NAME, key=key, confirmed=True)
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    generator.time = time.time()
    if not generator.verify(int(token), device.tolerance):
        return None
    device.last_t = generator.t()  # this code is now used: it cannot be replayed
    device.save()
    del request.session[mfa.PENDING_TOTP_KEY]
    codes = mfa.new_recovery_codes(user)
    audit.record(user, "security.enrol_totp", device, {"confirmed": [False, True]})
    mfa.step_up(request, device)
    end_sessions(user, keep_session_key=request.session.session_key, reason="mfa_changed")
    return codes


def verify_second_factor(request: HttpRequest, token: str) -> Device | None:
    """Check a TOTP code or a recovery code for the signed-in user; step up on success.

    Six digits go to the TOTP devices only, anything else to the recovery codes, so a
    recovery code never counts as a failed TOTP attempt (and vice versa).
    """
    user = request.user
    verified = mfa.match_second_factor(user, token)
    if verified is not None:
        mfa.step_up(request, verified)
        if isinstance(verified, StaticDevice):
            audit.record(user, "security.use_recovery_code", verified)
    return verified


@transaction.atomic
def regenerate_recovery_codes(request: HttpRequest) -> list[str]:
    reauth.require(request)
    user = request.user
    codes = mfa.new_recovery_codes(user)
    device = StaticDevice.objects.get(user=user)
    audit.record(user, "security.regenerate_recovery_codes", device)
    end_sessions(user, keep_session_key=request.session.session_key, reason="mfa_changed")
    return codes


def _remove_factor(request: HttpRequest, model: type[Device], pk: Any, action: str) -> None:
    """Remove one of the user's own second factors; recovery codes go with the last one."""
    reauth.require(request)
    user = request.user
    device = model.objects.select_for_update().get(pk=pk, user=user)
    audit.record(user, action, device, {"name": [device.name, None]})
    device.delete()
    mfa.drop_recovery_codes_without_factor(user)
    end_sessions(user, keep_session_key=request.session.session_key, reason="mfa_changed")
    request.session.cycle_key()


@transaction.atomic
def remove_totp_device(request: HttpRequest, device: TOTPDevice) -> None:
    """Remove an authenticator; with none left the user enrols again before anything else."""
    _remove_factor(request, TOTPDevice, device.pk, "security.remove_totp")


@transaction.atomic
def reset_mfa(actor: Any, user: Any) -> int:
    """An admin clears a user's second factors (lost phone); they enrol again at next sign-in."""
    require_permission(actor, "security.unlock_account")
    removed = 0
    for model in (TOTPDevice, WebAuthnCredential, StaticDevice):
        count, _ = model.objects.filter(user=user).delete()
        removed += count
    audit.record(actor, "security.reset_mfa", user, {"mfa_devices": ["removed", None]})
    end_sessions(user, reason="mfa_reset")
    return removed


@transaction.atomic
def register_passkey(request: HttpRequest, helper: Any, state: dict[str, Any], data: Any) -> Any:
    """Verify the browser's attestation and save the passkey (an MFA change)."""
    reauth.require(request)
    user = request.user
    device = helper.register_complete(user=user, state=state, data=data)
    audit.record(user, "security.register_passkey", device, {"name": [None, device.name]})
    end_sessions(user, keep_session_key=request.session.session_key, reason="mfa_changed")
    request.session.cycle_key()
    return device


@transaction.atomic
def remove_passkey(request: HttpRequest, device: WebAuthnCredential) -> None:
    """Remove a passkey; with no factor left the user enrols again before anything else."""
    _remove_factor(request, WebAuthnCredential, device.pk, "security.remove_passkey")
