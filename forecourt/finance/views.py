"""Lender, product and menu screens: thin adapters over actions.py (the desking screens are
in desking/views.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from forecourt.accounts.models import Rooftop
from forecourt.core.concurrency import VersionConflict
from forecourt.core.forms import add_action_errors
from forecourt.core.visibility import visible_or_404
from forecourt.finance import actions
from forecourt.finance.forms import (
    LenderForm,
    MenuEntriesForm,
    MenuForm,
    ProductForm,
    RatesForm,
    rates_text,
)
from forecourt.finance.models import FinanceProduct, Lender, ProductMenu


def _home_rooftop(request: HttpRequest) -> Rooftop | None:
    user: Any = request.user
    return user.rooftops.order_by("name").first()


def _run(form: Any, write: Any) -> Any:
    """The action's result, or None with its refusal shown on the form."""
    try:
        return write()
    except ValidationError as error:
        add_action_errors(form, error)
    except VersionConflict as conflict:
        form.add_error(None, str(conflict))
    return None


def _page(request: HttpRequest, template: str, context: dict[str, Any], form: Any) -> HttpResponse:
    return render(request, template, context, status=422 if form.errors else 200)


# --- lenders -------------------------------------------------------------------------


@permission_required("finance.view_lender", raise_exception=True)
def lender_list(request: HttpRequest) -> HttpResponse:
    lenders = Lender.objects.for_user(request.user).prefetch_related("rates")
    return render(request, "finance/lender_list.html", {"lenders": lenders})


def _create(
    request: HttpRequest, form: Any, create: Callable[..., Any], template: str
) -> tuple[Any, HttpResponse | None]:
    """A new record of the user's rooftop from a form: (record, None) or (None, the page)."""
    rooftop = _home_rooftop(request)
    if request.method == "POST" and form.is_valid() and rooftop is not None:
        record = _run(form, lambda: create(request.user, rooftop, form.action_data()))
        if record is not None:
            return record, None
    return None, _page(request, template, {"form": form}, form)


@permission_required("finance.add_lender", raise_exception=True)
def lender_create(request: HttpRequest) -> HttpResponse:
    form = LenderForm(request.POST or None)
    lender, page = _create(request, form, actions.create_lender, "finance/lender_form.html")
    if page is not None:
        return page
    messages.success(request, f"{lender} added. Now enter its rate sheet.")
    return redirect("finance:lender-detail", pk=lender.pk)


@permission_required("finance.view_lender", raise_exception=True)
def lender_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lender = visible_or_404(Lender, request.user, pk)
    form = LenderForm(instance=lender, initial={"version": lender.version}, prefix="edit")
    rates_form = RatesForm(initial={"version": lender.version, "rates": rates_text(lender)})
    if request.method == "POST" and "edit-name" in request.POST:
        form = LenderForm(request.POST, instance=lender, prefix="edit")
        if form.is_valid():
            version = form.cleaned_data["version"]
            data = form.action_data()
            if _run(form, lambda: actions.update_lender(request.user, lender, data, version)):
                messages.success(request, "Lender saved.")
                return redirect("finance:lender-detail", pk=lender.pk)
    elif request.method == "POST":
        rates_form = RatesForm(request.POST)
        if rates_form.is_valid():
            bands = rates_form.cleaned_data["rates"]
            version = rates_form.cleaned_data["version"]
            if _run(
                rates_form, lambda: actions.set_lender_rates(request.user, lender, bands, version)
            ):
                messages.success(request, "Rate sheet saved.")
                return redirect("finance:lender-detail", pk=lender.pk)
    can_change = request.user.has_perm("finance.change_lender")
    context = {"lender": lender, "form": form, "rates_form": rates_form, "can_change": can_change}
    status = 422 if form.errors or rates_form.errors else 200
    return render(request, "finance/lender_detail.html", context, status=status)


# --- products ------------------------------------------------------------------------


@permission_required("finance.view_financeproduct", raise_exception=True)
def product_list(request: HttpRequest) -> HttpResponse:
    products = FinanceProduct.objects.for_user(request.user)
    return render(request, "finance/product_list.html", {"products": products})


@permission_required("finance.add_financeproduct", raise_exception=True)
def product_create(request: HttpRequest) -> HttpResponse:
    form = ProductForm(request.POST or None)
    product, page = _create(request, form, actions.create_product, "finance/product_form.html")
    if page is not None:
        return page
    messages.success(request, f"{product} added.")
    return redirect("finance:product-list")


@permission_required("finance.view_financeproduct", raise_exception=True)
def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    product = visible_or_404(FinanceProduct, request.user, pk)
    form = ProductForm(request.POST or None, instance=product, initial={"version": product.version})
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["version"]
        data = form.action_data()
        if _run(form, lambda: actions.update_product(request.user, product, data, version)):
            messages.success(request, "Product saved.")
            return redirect("finance:product-list")
    context = {"form": form, "product": product}
    return _page(request, "finance/product_form.html", context, form)


# --- menus ---------------------------------------------------------------------------


@permission_required("finance.view_productmenu", raise_exception=True)
def menu_list(request: HttpRequest) -> HttpResponse:
    menus = ProductMenu.objects.for_user(request.user)
    form = MenuForm()
    return render(request, "finance/menu_list.html", {"menus": menus, "form": form})


@require_POST
@permission_required("finance.add_productmenu", raise_exception=True)
def menu_create(request: HttpRequest) -> HttpResponse:
    form = MenuForm(request.POST)
    rooftop = _home_rooftop(request)
    if form.is_valid() and rooftop is not None:
        menu = _run(form, lambda: actions.create_menu(request.user, rooftop, form.cleaned_data))
        if menu is not None:
            return redirect("finance:menu-detail", pk=menu.pk)
    menus = ProductMenu.objects.for_user(request.user)
    return _page(request, "finance/menu_list.html", {"menus": menus, "form": form}, form)


@permission_required("finance.view_productmenu", raise_exception=True)
def menu_detail(request: HttpRequest, pk: int) -> HttpResponse:
    menu = visible_or_404(ProductMenu, request.user, pk)
    products = list(FinanceProduct.objects.filter(rooftop=menu.rooftop_id, is_active=True))
    current = {(entry.column, entry.product_id): entry.price for entry in menu.entries.all()}
    form = MenuEntriesForm(
        request.POST or None,
        products=products,
        current=current,
        initial={"version": menu.version},
    )
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["version"]
        if _run(form, lambda: actions.set_menu_entries(request.user, menu, form.lines(), version)):
            messages.success(request, "Menu saved.")
            return redirect("finance:menu-detail", pk=menu.pk)
    can_change = request.user.has_perm("finance.change_productmenu")
    context = {"menu": menu, "form": form, "can_change": can_change}
    return _page(request, "finance/menu_detail.html", context, form)
