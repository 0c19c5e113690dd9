"""Invitation pages: invite, resend, revoke (admins) and accept (the invitee, signed out).

The invitee's link carries the token in its query string. Opening it moves the token
into the session and redirects to a token-free address, so the token is not in the page's
URL, its Referer, or the browser history beyond that first request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from forecourt.accounts.forms import AcceptInvitationForm, InviteForm
from forecourt.accounts.invitations import actions
from forecourt.accounts.invitations.actions import InvalidInvitation
from forecourt.accounts.models import Invitation, Rooftop
from forecourt.accounts.roles import Role
from forecourt.core.forms import add_action_errors
from forecourt.core.security.middleware import mfa_not_required
from forecourt.core.security.reauth import require_recent_auth
from forecourt.core.visibility import visible_or_404

SESSION_TOKEN = "_invitation_token"  # noqa: S105 - a session key name, not a secret


@never_cache
@permission_required("accounts.add_user", raise_exception=True)
@require_recent_auth
def invite(request: HttpRequest) -> HttpResponse:
    rooftops = Rooftop.objects.for_user(request.user, "view")
    form = InviteForm(request.POST or None, rooftops=rooftops)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = actions.invite_user(
                request.user,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                roles=[Role(r) for r in form.cleaned_data["roles"]],
                rooftops=form.cleaned_data["rooftops"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("accounts:user-list")
    return render(request, "accounts/invite_form.html", {"form": form})


def _change(
    request: HttpRequest,
    pk: int,
    change: Callable[[Any, Invitation], Invitation],
    done: str,
) -> HttpResponse:
    invitation = visible_or_404(Invitation, request.user, pk)
    try:
        change(request.user, invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done.format(email=invitation.email))
    return redirect("accounts:user-list")


@require_POST
@permission_required("accounts.add_user", raise_exception=True)
@require_recent_auth
def resend(request: HttpRequest, pk: int) -> HttpResponse:
    return _change(request, pk, actions.resend_invitation, "A new link was sent to {email}.")


@require_POST
@permission_required("accounts.add_user", raise_exception=True)
@require_recent_auth
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    done = "The invitation for {email} was revoked."
    return _change(request, pk, actions.revoke_invitation, done)


@never_cache
@login_not_required
@mfa_not_required
def open_link(request: HttpRequest) -> HttpResponse:
    request.session[SESSION_TOKEN] = request.GET.get("token", "")
    return redirect("accounts:invitation-accept")


@never_cache
@login_not_required
@mfa_not_required
def accept(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        # The link is for the invitee: never mix it with someone's open session (and a
        # GET that signed people out would let any page sign them out).
        return render(request, "accounts/invitation_invalid.html", {"signed_in": True})
    token = request.session.get(SESSION_TOKEN, "")
    try:
        invitation = actions.find_usable(token)
    except InvalidInvitation:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.accept_invitation(token, form.cleaned_data["password"])
        except ValidationError as error:
            add_action_errors(form, error)
        except InvalidInvitation:
            return render(request, "accounts/invitation_invalid.html", status=404)
        else:
            del request.session[SESSION_TOKEN]
            messages.success(
                request, "Your password is set. Sign in, then set up your second factor."
            )
            return redirect("accounts:login")
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )
