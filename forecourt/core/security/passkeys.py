"""WebAuthn passkeys as a second factor, through django-otp-webauthn.

The library does the cryptography (py_webauthn: challenge, origin, RP ID, signature and
sign-count checks) and stores each credential as a django-otp device, so enforcement,
the verification page and the access review see passkeys like any other factor. Here
we add our rules around its JSON ceremony views:

- registering needs a session already verified with a second factor (the library) and
  sudo mode (ours); it is audited and ends the user's other sessions, like a TOTP change;
- verifying is for the signed-in user only (no passwordless sign-in: the password stays
  the first factor); success steps the session up exactly as a TOTP code does.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import exceptions
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.utils import rewrite_exceptions
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from forecourt.core.security import actions, mfa, reauth
from forecourt.core.security.middleware import mfa_not_required

_library_logger = logging.getLogger("django_otp_webauthn")


class ReauthRequired(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_detail = "Confirm your password or a code to continue."
    default_code = "reauth_required"


def script_config(request: HttpRequest) -> dict[str, Any]:
    """What the library's scripts read from the `otp_webauthn_config` JSON element."""
    from django.middleware import csrf

    return {
        "autocompleteLoginFieldSelector": None,
        "nextFieldSelector": "input[name='next']",
        "csrfToken": csrf.get_token(request),
        "beginAuthenticationUrl": reverse("security:passkey-verify-begin"),
        "completeAuthenticationUrl": reverse("security:passkey-verify-complete"),
        "beginRegistrationUrl": reverse("security:passkey-register-begin"),
        "completeRegistrationUrl": reverse("security:passkey-register-complete"),
    }


def passkeys_of(user: Any) -> Any:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at")


class _SudoForRegistration:
    request: HttpRequest

    def check_can_register(self) -> None:
        if not reauth.has_recent_auth(self.request):
            raise ReauthRequired()


class BeginRegistration(_SudoForRegistration, BeginCredentialRegistrationView):
    pass


class CompleteRegistration(_SudoForRegistration, CompleteCredentialRegistrationView):
    def post(self, *args: Any, **kwargs: Any) -> JsonResponse:
        state = self.get_state()  # popped first: a challenge is never used twice
        data = self.request.data  # type: ignore[attr-defined]  # the parsed JSON body
        with rewrite_exceptions(logger=_library_logger):
            device = actions.register_passkey(self.request, self.get_helper(), state, data)
        return JsonResponse({"id": device.pk})


class BeginVerification(BeginCredentialAuthenticationView):
    pass


class CompleteVerification(CompleteCredentialAuthenticationView):
    def complete_auth(self, device: Any) -> None:
        mfa.step_up(self.request, device)


begin_registration = never_cache(BeginRegistration.as_view())
complete_registration = never_cache(CompleteRegistration.as_view())
# A signed-in user who has not passed MFA yet must reach the verification ceremony.
begin_verification = mfa_not_required(never_cache(BeginVerification.as_view()))
complete_verification = mfa_not_required(never_cache(CompleteVerification.as_view()))
# The library's scripts call gettext(); this serves its message catalogue as a script file.
script_catalog = mfa_not_required(JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]))
