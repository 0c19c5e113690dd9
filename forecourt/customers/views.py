"""Customer screens: list (htmx filters), detail, create, edit, consents, reveal and merge.
Thin adapters over search.py and actions/; sensitive values only ever reach a page through
the audited reveal action (core.security.actions), one field per explicit POST. The
compliance pages (OFAC,
legal hold, retention, access export) are in compliance/views.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from forecourt.accounts.models import Rooftop
from forecourt.core import audit_display
from forecourt.core.forms import add_action_errors, filter_error
from forecourt.core.htmx import is_htmx
from forecourt.core.list_urls import ListQuery
from forecourt.core.post_only import post_only
from forecourt.core.security.actions.reveal import reveal_field
from forecourt.core.security.pii import masked
from forecourt.core.visibility import visible_or_404
from forecourt.customers import actions, registry
from forecourt.customers.contact import format_phone
from forecourt.customers.forms import ConsentForm, CustomerForm, MergeForm, RevealForm
from forecourt.customers.models import Channel, Customer, Language
from forecourt.customers.search import BadQuery, CustomerFilters, display_name, search

VIEW = "customers.view_customer"
REVEAL = "customers.reveal_customer"
# The list filters as the screen labels them (for messages about a bad value).
FILTER_LABELS = {
    "q": "Search",
    "rooftop": "Rooftop",
    "salesperson": "Salesperson",
    "tag": "Tag",
    "language": "Language",
    "consent": "Consents to",
    "sort": "Sort",
    "cursor": "Page",
}
MONEY_FIELDS = frozenset({"income"})
SENSITIVE_LABELS = {
    "date_of_birth": "Date of birth",
    "drivers_license_number": "Driver's licence",
    "drivers_license_state": "Licence state",
    "ssn": "SSN",
    "employer": "Employer",
    "income": "Annual income",
}


def _rooftops(request: HttpRequest) -> Any:
    return Rooftop.objects.for_user(request.user, "view")


def _single_rooftop(rooftops: list[Rooftop]) -> Rooftop | None:
    return rooftops[0] if len(rooftops) == 1 else None


@permission_required(VIEW, raise_exception=True)
def customer_list(request: HttpRequest) -> HttpResponse:
    rooftops = list(_rooftops(request))
    error = ""
    single = _single_rooftop(rooftops)
    try:
        filters = CustomerFilters.from_query(request.GET)
        queryset = Customer.objects.for_user(request.user, "view")
        if single is not None and filters.rooftop is None:
            # Equality on the rooftop lets the (rooftop, last_name, first_name, id) index
            # deliver the page in order; the scoping subquery alone cannot.
            queryset = queryset.filter(rooftop_id=single.pk)
        page = search(
            queryset,
            filters,
            cursor=request.GET.get("cursor", ""),
            country=single.country if single else "US",
            may_search_ssn=request.user.has_perm(REVEAL),
        )
    except BadQuery as bad:
        filters, page, error = CustomerFilters(), None, filter_error(bad, FILTER_LABELS)
    links = ListQuery.of(reverse("customers:customer-list"), filters.as_query(), request.GET)
    salespeople = (
        get_user_model()
        .objects.filter(is_active=True, rooftops__in=[r.pk for r in rooftops])
        .distinct()
        .order_by("full_name")
    )
    names = {user.pk: user.full_name or user.email for user in salespeople}
    rows = [
        {
            **row,
            "name": display_name(row),
            "phone": format_phone(row["mobile_phone"] or row["home_phone"] or row["work_phone"]),
            "salesperson": names.get(row["assigned_salesperson_id"], ""),
        }
        for row in (page.rows if page else [])
    ]
    context = {
        "filters": filters,
        "rows": rows,
        "error": error,
        "next_url": links.url(cursor=page.next_cursor) if page and page.next_cursor else "",
        "first_url": links.url(),
        "is_later_page": bool(request.GET.get("cursor")),
        "filters_open": any(v for k, v in request.GET.items() if k not in ("q", "cursor")),
        "rooftops": rooftops,
        "salespeople": salespeople,
        "languages": Language.choices,
        "channels": Channel.choices,
    }
    template = "customers/customer_list.html"
    if is_htmx(request, target="results"):
        template += "#results"
    return render(request, template, context)


def _on_file(customer: Customer, name: str) -> bool:
    return getattr(customer, name) not in (None, "")


def _detail_context(request: HttpRequest, customer: Customer, **forms: Any) -> dict[str, Any]:
    return {
        "customer": customer,
        "phones": [
            (label, format_phone(getattr(customer, name)))
            for name, label in (
                ("mobile_phone", "Mobile"),
                ("home_phone", "Home"),
                ("work_phone", "Work"),
            )
            if getattr(customer, name)
        ],
        # Nothing on file shows "-" and no Reveal button (the SSN mask alone would read
        # "***-**-****" as if there were a number to reveal).
        "sensitive": [
            {
                "name": name,
                "label": label,
                "masked": masked(customer, name) if _on_file(customer, name) else "",
            }
            for name, label in SENSITIVE_LABELS.items()
        ],
        "can_reveal": request.user.has_perm(REVEAL),
        "consents": [
            {"channel": label, "granted": getattr(customer, f"consent_{value}")}
            for value, label in Channel.choices
        ],
        "consent_history": list(customer.consent_history.select_related("recorded_by")[:50]),
        "consent_form": forms.get("consent_form") or ConsentForm(),
        "merge_form": forms.get("merge_form") or MergeForm(),
        "merged_from": list(customer.merged_from.order_by("-merged_at")[:20]),
        "audit_entries": audit_display.trail_for(request.user, customer),
        # Other apps' sections (the leads timeline): forecourt/customers/registry.py.
        "customer_sections": registry.sections_for(request.user),
    }


@permission_required(VIEW, raise_exception=True)
def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    customer = visible_or_404(Customer, request.user, pk)
    return render(request, "customers/customer_detail.html", _detail_context(request, customer))


def _rerender(request: HttpRequest, customer: Customer, **forms: Any) -> HttpResponse:
    context = _detail_context(request, customer, **forms)
    return render(request, "customers/customer_detail.html", context, status=422)


def _done(request: HttpRequest, customer: Customer, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("customers:customer-detail", pk=customer.pk)


@permission_required("customers.add_customer", raise_exception=True)
def customer_create(request: HttpRequest) -> HttpResponse:
    rooftops = _rooftops(request)
    duplicates: list[Customer] = []
    if request.method == "POST":
        form = CustomerForm(request.POST, rooftops=rooftops)
        if form.is_valid():
            try:
                customer = actions.create_customer(
                    request.user,
                    form.cleaned_data["rooftop"],
                    form.action_data(),
                    consent_source=form.cleaned_data["consent_source"],
                    allow_duplicate=request.POST.get("allow_duplicate") == "1",
                )
            except actions.DuplicateCustomerError as duplicate:
                duplicates = duplicate.matches
                form.add_error(None, duplicate.messages[0])
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                return _done(request, customer, f"{customer.display_name} added.")
    else:
        form = CustomerForm(rooftops=rooftops, initial={"assigned_salesperson": request.user.pk})
    return render(
        request,
        "customers/customer_form.html",
        {"form": form, "duplicates": duplicates, "customer": None},
        status=422 if form.errors else 200,
    )


@permission_required("customers.change_customer", raise_exception=True)
def customer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    customer = visible_or_404(Customer, request.user, pk)
    rooftops = Rooftop.objects.filter(pk=customer.rooftop_id)
    form = CustomerForm(request.POST or None, rooftops=rooftops, customer=customer)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_customer(
                request.user,
                customer,
                form.action_data(),
                expected_version=_posted_version(request),
            )
        except actions.CustomerVersionConflict as conflict:
            form.add_error(None, str(conflict))
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return _done(request, customer, "Customer saved.")
    status = 422 if request.method == "POST" else 200
    # After a failed POST the form keeps the version it was read at, so a conflict stays a
    # conflict until the user reloads (as the message asks).
    version = _posted_version(request) if request.method == "POST" else customer.version
    return render(
        request,
        "customers/customer_form.html",
        {"form": form, "customer": customer, "duplicates": [], "version": version},
        status=status,
    )


def _posted_version(request: HttpRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


@post_only
def customer_consent(request: HttpRequest, pk: int) -> HttpResponse:
    customer = visible_or_404(Customer, request.user, pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_consent(
                request.user,
                customer,
                data["channel"],
                data["granted"],
                data["source"],
                data["note"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return _done(request, customer, "Consent recorded.")
    return _rerender(request, customer, consent_form=form)


@post_only
def customer_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: one sensitive value in full, for a role that may reveal; audited and logged."""
    customer = visible_or_404(Customer, request.user, pk)
    form = RevealForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Unknown field.", status=400)
    name = form.cleaned_data["field"]
    value = reveal_field(request.user, customer, name)  # PermissionDenied -> 403
    context = {
        "value": "" if value is None else value,
        "label": SENSITIVE_LABELS[name],
        "is_money": name in MONEY_FIELDS,
        "currency": customer.rooftop.currency,  # income in the rooftop's currency
    }
    return render(request, "customers/_revealed.html", context)


@post_only
@permission_required("customers.merge_customer", raise_exception=True)
def customer_merge(request: HttpRequest, pk: int) -> HttpResponse:
    customer = visible_or_404(Customer, request.user, pk)
    form = MergeForm(request.POST)
    if form.is_valid():
        other = Customer.objects.for_user(request.user, "view").filter(
            pk=form.cleaned_data["other"]
        )
        other_customer = other.first()
        if other_customer is None:
            form.add_error("other", "No such customer among those you can see.")
        else:
            keep_this = form.cleaned_data["survivor"] == "this"
            survivor, duplicate = (
                (customer, other_customer) if keep_this else (other_customer, customer)
            )
            try:
                kept = actions.merge_customers(request.user, survivor, duplicate)
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                return _done(request, kept, f"Merged #{duplicate.pk} into this record.")
    return _rerender(request, customer, merge_form=form)
