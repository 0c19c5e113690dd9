"""Accounts pages: sign-in, rooftops, users, API tokens. Thin adapters over actions.py."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from forecourt.accounts import actions
from forecourt.accounts.forms import (
    ApiTokenCreateForm,
    EmailChangeForm,
    LoginForm,
    RooftopForm,
)
from forecourt.accounts.models import ApiToken, Invitation, Rooftop, User
from forecourt.core.concurrency import VersionConflict
from forecourt.core.forms import add_action_errors
from forecourt.core.post_only import post_only
from forecourt.core.security import lockout
from forecourt.core.security.reauth import require_recent_auth
from forecourt.core.visibility import visible_or_404


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # This browser is now a known device: a stranger's failures do not slow it down.
        lockout.remember_device(response, form.get_user().get_username())
        return response


def rooftops_panel(request: HttpRequest) -> dict[str, Any]:
    """The dashboard's first panel: the rooftops this user works at (core/dashboard.py)."""
    return {"rooftops": Rooftop.objects.for_user(request.user, "view")}


def rooftop_list(request: HttpRequest) -> HttpResponse:
    rooftops = Rooftop.objects.for_user(request.user, "view")
    return render(request, "accounts/rooftop_list.html", {"rooftops": rooftops})


def rooftop_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rooftop = visible_or_404(Rooftop, request.user, pk)
    users = User.objects.for_user(request.user, "view").filter(rooftops=rooftop)
    return render(request, "accounts/rooftop_detail.html", {"rooftop": rooftop, "users": users})


@never_cache
@permission_required("accounts.add_rooftop", raise_exception=True)
@require_recent_auth
def rooftop_create(request: HttpRequest) -> HttpResponse:
    form = RooftopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rooftop = actions.create_rooftop(request.user, **form.changes())
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, f"Rooftop {rooftop.name} created.")
            return redirect("accounts:rooftop-detail", rooftop.pk)
    return render(request, "accounts/rooftop_form.html", {"form": form, "rooftop": None})


@never_cache
@permission_required("accounts.change_rooftop", raise_exception=True)
@require_recent_auth
def rooftop_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rooftop = visible_or_404(Rooftop, request.user, pk)
    form = RooftopForm(request.POST or None, instance=rooftop, initial={"version": rooftop.version})
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_rooftop(
                request.user,
                rooftop.pk,
                form.changes(),
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        except VersionConflict as conflict:
            form.add_error(None, str(conflict))
        else:
            messages.success(request, "Rooftop saved.")
            return redirect("accounts:rooftop-detail", rooftop.pk)
    return render(request, "accounts/rooftop_form.html", {"form": form, "rooftop": rooftop})


@permission_required("accounts.view_user", raise_exception=True)
def user_list(request: HttpRequest) -> HttpResponse:
    users = User.objects.for_user(request.user, "view").prefetch_related("groups", "rooftops")
    invitations = Invitation.objects.for_user(request.user, "view").prefetch_related("rooftops")
    return render(request, "accounts/user_list.html", {"users": users, "invitations": invitations})


@permission_required("accounts.view_apitoken", raise_exception=True)
def token_list(request: HttpRequest) -> HttpResponse:
    tokens = ApiToken.objects.for_user(request.user, "view").select_related("user")
    return render(request, "accounts/token_list.html", {"tokens": tokens})


@permission_required("accounts.add_apitoken", raise_exception=True)
@require_recent_auth
def token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenCreateForm(request.POST or None, users=User.objects.for_user(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = actions.create_api_token(request.user, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            # The secret is shown on this response only; it is not stored anywhere.
            return render(request, "accounts/token_created.html", {"token": token, "raw": raw})
    return render(request, "accounts/token_form.html", {"form": form})


@post_only
@require_recent_auth
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = visible_or_404(ApiToken, request.user, pk)
    actions.revoke_api_token(request.user, token)
    messages.success(request, f"Token {token.name} revoked.")
    return redirect("accounts:token-list")


@never_cache
@require_recent_auth
def email_change(request: HttpRequest) -> HttpResponse:
    """The signed-in user changes their own sign-in email (sudo mode)."""
    user = cast(User, request.user)
    form = EmailChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_email(user, user, form.cleaned_data["email"])
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, "Email changed. Your other sessions were signed out.")
            return redirect("security:mfa-manage")
    return render(request, "accounts/email_change.html", {"form": form, "current": user.email})
