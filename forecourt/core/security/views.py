"""Security pages: MFA enrolment and verification, re-authentication, password change and
reset, the user's own sessions, and the access review. Thin adapters over the modules."""

from __future__ import annotations

import hashlib
import logging
from typing import Any, cast

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from forecourt.core.security import access_review, actions, lockout, mfa, passkeys, reauth
from forecourt.core.security.forms import (
    ConfirmTotpForm,
    OneTimeCodeForm,
    ReauthForm,
    ResetRequestForm,
)
from forecourt.core.security.middleware import mfa_not_required
from forecourt.core.security.sessions import active_sessions_of, end_sessions, session_ref

logger = logging.getLogger("forecourt.security")


def _safe_next(request: HttpRequest, default: str = "core:dashboard") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


# --- MFA -----------------------------------------------------------------------------------


@never_cache
@mfa_not_required
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app. A user who already has one must verify with it first."""
    if mfa.has_confirmed_device(request.user) and not mfa.is_verified(request.user):
        return redirect(f"{reverse('security:mfa-verify')}?next={reverse('security:mfa-manage')}")
    if mfa.has_confirmed_device(request.user) and not reauth.has_recent_auth(request):
        return redirect(reauth.reauth_url(reverse("security:mfa-setup")))
    device = mfa.pending_totp_device(request)
    form = ConfirmTotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = actions.confirm_totp(request, form.cleaned_data["code"])
        if codes is not None:
            messages.success(request, "Two-factor authentication is on.")
            return render(
                request,
                "security/recovery_codes.html",
                {"codes": codes, "next": _safe_next(request)},
            )
        form.add_error("code", "That code is not right (or was already used). Try the next one.")
    context = {
        "form": form,
        "qr_code": mfa.qr_code_data_uri(device),
        "secret": mfa.secret_for_manual_entry(device),
        "next": request.GET.get("next", ""),
    }
    return render(request, "security/mfa_setup.html", context)


@never_cache
@mfa_not_required
def mfa_verify(request: HttpRequest) -> HttpResponse:
    if mfa.is_verified(request.user):
        return redirect(_safe_next(request))
    if not mfa.has_confirmed_device(request.user):
        return redirect("security:mfa-setup")
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if actions.verify_second_factor(request, form.cleaned_data["code"]) is not None:
            return redirect(_safe_next(request))
        logger.info("mfa verification failed", extra={"event": "mfa_failed"})
        form.add_error("code", "That code is not right, or was already used.")
    context = {
        "form": form,
        "next": _safe_next(request),
        "has_passkey": passkeys.passkeys_of(request.user).exists(),
        "passkey_config": passkeys.script_config(request),
    }
    return render(request, "security/mfa_verify.html", context)


def mfa_manage(request: HttpRequest) -> HttpResponse:
    devices = TOTPDevice.objects.filter(user=request.user, confirmed=True)
    context = {
        "devices": devices,
        "passkeys": passkeys.passkeys_of(request.user),
        "passkey_config": passkeys.script_config(request),
        "recovery_left": mfa.recovery_codes_left(request.user),
    }
    return render(request, "security/mfa_manage.html", context)


@require_POST
@reauth.require_recent_auth
def mfa_recovery_regenerate(request: HttpRequest) -> HttpResponse:
    codes = actions.regenerate_recovery_codes(request)
    return render(
        request,
        "security/recovery_codes.html",
        {"codes": codes, "next": reverse("security:mfa-manage")},
    )


@require_POST
@reauth.require_recent_auth
def mfa_device_remove(request: HttpRequest, pk: int) -> HttpResponse:
    device = get_object_or_404(TOTPDevice, pk=pk, user=request.user, confirmed=True)
    actions.remove_totp_device(request, device)
    messages.success(request, f"{device.name} removed.")
    return redirect("security:mfa-manage")


@require_POST
@reauth.require_recent_auth
def passkey_remove(request: HttpRequest, pk: int) -> HttpResponse:
    device = get_object_or_404(passkeys.passkeys_of(request.user), pk=pk)
    actions.remove_passkey(request, device)
    messages.success(request, f"Passkey {device.name} removed.")
    return redirect("security:mfa-manage")


# --- re-authentication and passwords -------------------------------------------------------


@never_cache
def reauthenticate(request: HttpRequest) -> HttpResponse:
    """Confirm it's you. A password typed here is a sign-in attempt: the same limits apply
    (per account and address, per address, the account's slow-down, never bypassed by the
    device cookie: the session is what a thief would hold) and a wrong one counts."""
    form = ReauthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        password, code = form.cleaned_data["password"], form.cleaned_data["code"]
        credentials = {"username": request.user.get_username()}
        setattr(request, lockout.NO_DEVICE_BYPASS, True)
        if password and AxesProxyHandler.is_locked(request, credentials):
            return lockout.lockout_response(request)
        confirmed = (password and request.user.check_password(password)) or (
            code and actions.verify_second_factor(request, code) is not None
        )
        if confirmed:
            reauth.mark_recent_auth(request)
            request.session.cycle_key()
            return redirect(_safe_next(request))
        logger.info("re-authentication failed", extra={"event": "reauth_failed"})
        if password:
            user_login_failed.send(sender=ReauthForm, credentials=credentials, request=request)
            if getattr(request, "axes_locked_out", False):
                return lockout.lockout_response(request)
        form.add_error(None, "That did not match. Try again.")
    return render(request, "security/reauth.html", {"form": form, "next": _safe_next(request)})


@never_cache
@reauth.require_recent_auth
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(cast(Any, request.user), request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = actions.change_password(form)  # ends the user's other sessions
        update_session_auth_hash(request, user)  # keeps this one, with a new key
        messages.success(request, "Password changed. Your other sessions were signed out.")
        return redirect("security:sessions")
    return render(request, "security/password_change.html", {"form": form})


RESET_LIMIT_PER_EMAIL = 3
RESET_LIMIT_PER_IP = 20
RESET_WINDOW_SECONDS = 60 * 60


def reset_allowed(request: HttpRequest, email: str) -> bool:
    """At most 3 reset emails per address and 20 per client IP an hour, shared by every
    process (the database counter store); a store failure refuses (fails closed)."""
    import time

    from forecourt.core.security.ratelimit import DatabaseStore, RateLimitStoreError

    window = int(time.time() // RESET_WINDOW_SECONDS)
    email_key = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    ip = getattr(request, "client_ip", None) or "unknown"
    store = DatabaseStore()
    try:
        by_email = store.hit(f"pwreset:email:{email_key}:{window}", RESET_WINDOW_SECONDS + 1)
        by_ip = store.hit(f"pwreset:ip:{ip}:{window}", RESET_WINDOW_SECONDS + 1)
    except RateLimitStoreError:
        logger.exception("password reset limit store failed", extra={"event": "reset_store"})
        return False
    return by_email <= RESET_LIMIT_PER_EMAIL and by_ip <= RESET_LIMIT_PER_IP


@method_decorator(mfa_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Always answers 'check your email', so it never tells whether an account exists."""

    form_class = ResetRequestForm
    template_name = "security/password_reset.html"
    email_template_name = "security/password_reset_email.txt"
    subject_template_name = "security/password_reset_subject.txt"
    success_url = reverse_lazy("security:password-reset-done")

    def form_valid(self, form: Any) -> HttpResponse:
        if not reset_allowed(self.request, form.cleaned_data["email"]):
            logger.warning("password reset limit reached", extra={"event": "reset_limited"})
            return redirect(self.success_url)
        return super().form_valid(form)


@method_decorator(mfa_not_required, name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "security/password_reset_done.html"


@method_decorator(mfa_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "security/password_reset_confirm.html"
    success_url = reverse_lazy("security:password-reset-complete")
    post_reset_login = False  # sign in afresh: the password, then the second factor


@method_decorator(mfa_not_required, name="dispatch")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "security/password_reset_complete.html"


# --- sessions ------------------------------------------------------------------------------


def my_sessions(request: HttpRequest) -> HttpResponse:
    current = request.session.session_key
    sessions = [
        {"ref": session_ref(s.session_key), "row": s, "current": s.session_key == current}
        for s in active_sessions_of(request.user)
    ]
    return render(request, "security/sessions.html", {"sessions": sessions})


@require_POST
def end_my_session(request: HttpRequest) -> HttpResponse:
    ended = actions.end_own_session(
        request.user, request.POST.get("ref", ""), current_session_key=request.session.session_key
    )
    if ended:
        messages.success(request, "That session was signed out.")
    else:
        messages.error(request, "That session had already ended.")
    return redirect("security:sessions")


@require_POST
def end_my_other_sessions(request: HttpRequest) -> HttpResponse:
    count = end_sessions(
        request.user, keep_session_key=request.session.session_key, reason="user_request"
    )
    messages.success(request, f"{count} other session(s) signed out.")
    return redirect("security:sessions")


# --- admin: access review, ending others' sessions, unlock, MFA reset ------------------------


def _managed_user(request: HttpRequest, pk: int) -> Any:
    users: Any = get_user_model().objects
    return get_object_or_404(users.for_user(request.user, "view"), pk=pk)


@permission_required("security.review_access", raise_exception=True)
def access_review_page(request: HttpRequest) -> HttpResponse:
    rows = access_review.review_rows(request.user)
    return render(
        request,
        "security/access_review.html",
        {"rows": rows, "idle_days": access_review.IDLE_DAYS},
    )


@require_POST  # the export is audited, and a GET never changes data
@permission_required("security.review_access", raise_exception=True)
def access_review_export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        actions.export_access_review(request.user), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="access-review.csv"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@permission_required("security.deactivate_idle_users", raise_exception=True)
@reauth.require_recent_auth
def deactivate_idle(request: HttpRequest) -> HttpResponse:
    emails = actions.deactivate_idle_users(request.user)
    messages.success(request, f"{len(emails)} idle user(s) deactivated.")
    return redirect("security:access-review")


@require_POST
@permission_required("security.delete_usersession", raise_exception=True)
@reauth.require_recent_auth
def end_user_sessions(request: HttpRequest, pk: int) -> HttpResponse:
    user = _managed_user(request, pk)  # 404 for a user of another rooftop
    count = actions.end_user_sessions(
        request.user, user, keep_session_key=request.session.session_key
    )
    messages.success(request, f"{count} session(s) of {user.email} signed out.")
    return redirect("security:access-review")


@require_POST
@permission_required("security.unlock_account", raise_exception=True)
@reauth.require_recent_auth
def unlock_user(request: HttpRequest, pk: int) -> HttpResponse:
    user = _managed_user(request, pk)
    actions.unlock_account(request.user, user)
    messages.success(request, f"{user.email} can sign in again.")
    return redirect("security:access-review")


@require_POST
@permission_required("security.unlock_account", raise_exception=True)
@reauth.require_recent_auth
def reset_user_mfa(request: HttpRequest, pk: int) -> HttpResponse:
    user = _managed_user(request, pk)
    actions.reset_mfa(request.user, user)
    messages.success(request, f"{user.email} will set up two-factor authentication again.")
    return redirect("security:access-review")
