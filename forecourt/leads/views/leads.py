"""Leads pages: the board, the list (and reassigning from it), walk-ins, a new lead for a
customer, and a lead's page with its edit, status and follow-up forms.

htmx swaps only 2xx answers, so a refused action asked for by htmx re-renders its fragment
with the message at 200; the same request without htmx gets the page at 422.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from forecourt.core.forms import add_action_errors, filter_error
from forecourt.core.htmx import is_htmx
from forecourt.core.list_urls import ListQuery
from forecourt.core.post_only import post_only
from forecourt.core.visibility import visible_or_404
from forecourt.customers.actions import DuplicateCustomerError
from forecourt.customers.contact import format_phone
from forecourt.customers.models import Customer
from forecourt.leads import actions
from forecourt.leads.forms import (
    FollowUpForm,
    LeadFieldsForm,
    LeadUpdateForm,
    ReassignForm,
    StatusForm,
    WalkInForm,
    in_stock_at,
)
from forecourt.leads.models import Lead, LeadSource, LeadStatus
from forecourt.leads.search import FOLLOW_UP_CHOICES, BadQuery, LeadFilters, search_leads
from forecourt.leads.views.common import LEAD_RELATED, VIEW, colleagues, rooftops_of
from forecourt.leads.views.timeline import timeline_context

# The list and board filters as their screens label them (for messages about a bad value).
FILTER_LABELS = {
    "q": "Search",
    "status": "Status",
    "source": "Source",
    "owner": "Owner",
    "follow_up": "Follow-up",
    "rooftop": "Rooftop",
    "customer": "Customer",
    "cursor": "Page",
}
BOARD_COLUMN_SIZE = 50


def board_context(request: HttpRequest, error: str = "") -> dict[str, Any]:
    try:
        filters = LeadFilters.from_query(request.GET)
    except BadQuery as bad:
        filters, error = LeadFilters(), filter_error(bad, FILTER_LABELS)
    filters.status = []
    base = filters.apply(Lead.objects.for_user(request.user, "view")).select_related(
        "customer", "owner", "vehicle"
    )
    columns = []
    for status in LeadStatus:
        leads = list(base.filter(status=status).order_by("-created_at", "-id")[:BOARD_COLUMN_SIZE])
        columns.append(
            {
                "status": status,
                "leads": [
                    {
                        "lead": lead,
                        "form": StatusForm(current=lead.status, initial={"version": lead.version}),
                    }
                    for lead in leads
                ],
            }
        )
    return {
        "columns": columns,
        "filters": filters,
        "error": error,
        "rooftops": rooftops_of(request),
        "owners": colleagues(request),
        "query": ListQuery("", filters.as_query()).query(),
    }


@permission_required(VIEW, raise_exception=True)
def lead_board(request: HttpRequest) -> HttpResponse:
    template = "leads/lead_board.html"
    if is_htmx(request, target="board"):
        template += "#board"
    return render(request, template, board_context(request))


@permission_required(VIEW, raise_exception=True)
def lead_list(request: HttpRequest) -> HttpResponse:
    error = ""
    try:
        filters = LeadFilters.from_query(request.GET)
        page = search_leads(
            Lead.objects.for_user(request.user, "view"),
            filters,
            cursor=request.GET.get("cursor", ""),
        )
    except BadQuery as bad:
        filters, page, error = LeadFilters(), None, filter_error(bad, FILTER_LABELS)
    links = ListQuery.of(reverse("leads:lead-list"), filters.as_query(), request.GET)
    context = {
        "filters": filters,
        "page": page,
        "error": error,
        "statuses": LeadStatus.choices,
        "sources": LeadSource.choices,
        "follow_ups": FOLLOW_UP_CHOICES.items(),
        "rooftops": rooftops_of(request),
        "owners": colleagues(request),
        "next_url": links.url(cursor=page.next_cursor) if page and page.next_cursor else "",
        "first_url": links.url(),
        "is_later_page": bool(request.GET.get("cursor")),
        "return_query": request.GET.urlencode(),
    }
    template = "leads/lead_list.html"
    if is_htmx(request, target="results"):
        template += "#results"
    return render(request, template, context)


@post_only
@permission_required("leads.reassign_lead", raise_exception=True)
def lead_reassign(request: HttpRequest) -> HttpResponse:
    form = ReassignForm(request.POST, owners=colleagues(request))
    back = reverse("leads:lead-list") + "?" + request.POST.get("return_query", "")
    if not form.is_valid():
        messages.error(request, "Choose leads and their new owner.")
        return redirect(back)
    owner = form.cleaned_data["owner"]
    try:
        result = actions.reassign_leads(request.user, form.cleaned_data["ids"], owner)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    name = owner.full_name or owner.email
    messages.success(request, f"{len(result.changed)} lead(s) now belong to {name}.")
    if result.skipped:
        messages.warning(
            request,
            f"{len(result.skipped)} skipped: "
            + "; ".join(f"#{pk}: {why}" for pk, why in list(result.skipped.items())[:5]),
        )
    return redirect(back)


@permission_required("leads.add_lead", raise_exception=True)
def lead_walk_in(request: HttpRequest) -> HttpResponse:
    rooftops = rooftops_of(request)
    vehicles = in_stock_at(rooftops.values("pk"))
    duplicates: list[Customer] = []
    if request.method == "POST":
        form = WalkInForm(request.POST, rooftops=rooftops, vehicles=vehicles)
        if form.is_valid():
            try:
                lead = actions.take_walk_in(
                    request.user,
                    form.cleaned_data["rooftop"],
                    form.customer_data(),
                    allow_duplicate=form.cleaned_data["allow_duplicate"],
                    **form.lead_data(),
                )
            except DuplicateCustomerError as duplicate:
                # Listed with links to each record above the form (walk_in.html), not as
                # the action's plain-text message.
                duplicates = duplicate.matches
                data = request.POST.copy()
                data["allow_duplicate"] = "on"  # a second submit creates the record anyway
                form.data = data
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, f"Walk-in {lead.customer} taken; lead #{lead.pk}.")
                return redirect("leads:lead-detail", pk=lead.pk)
    else:
        initial: dict[str, Any] = {}
        if rooftops.count() == 1:
            initial["rooftop"] = rooftops.first()
        form = WalkInForm(initial=initial, rooftops=rooftops, vehicles=vehicles)
    status = 422 if form.errors or duplicates else 200
    context = {"form": form, "duplicates": duplicates}
    return render(request, "leads/walk_in.html", context, status=status)


@permission_required("leads.add_lead", raise_exception=True)
def lead_create(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = visible_or_404(Customer, request.user, customer_id)
    vehicles = in_stock_at([customer.rooftop_id])
    form = LeadFieldsForm(request.POST or None, vehicles=vehicles)
    if request.method == "POST" and form.is_valid():
        try:
            lead = actions.create_lead(request.user, customer, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, f"Lead #{lead.pk} created.")
            return redirect("leads:lead-detail", pk=lead.pk)
    status = 422 if form.errors else 200
    return render(
        request, "leads/lead_form.html", {"form": form, "customer": customer}, status=status
    )


def _detail_context(request: HttpRequest, lead: Lead, **forms: Any) -> dict[str, Any]:
    vehicles = in_stock_at([lead.rooftop_id])
    initial = {
        "version": lead.version,
        "source": lead.source,
        "source_detail": lead.source_detail,
        "vehicle": lead.vehicle_id,
        "vehicle_description": lead.vehicle_description,
        "next_follow_up_on": lead.next_follow_up_on,
        "notes": lead.notes,
    }
    customer = lead.customer
    return {
        "lead": lead,
        # How to reach the customer, first thing on the page: (label, E.164 for tel:, shown).
        "contact_phones": [
            (label, getattr(customer, name), format_phone(getattr(customer, name)))
            for name, label in (
                ("mobile_phone", "Mobile"),
                ("home_phone", "Home"),
                ("work_phone", "Work"),
            )
            if getattr(customer, name)
        ],
        "update_form": forms.get("update_form")
        or LeadUpdateForm(initial=initial, vehicles=vehicles, prefix="edit"),
        "status_form": forms.get("status_form")
        or StatusForm(current=lead.status, initial={"version": lead.version}),
        "follow_up_form": forms.get("follow_up_form")
        or FollowUpForm(initial={"next_follow_up_on": lead.next_follow_up_on}),
        **timeline_context(request, lead.customer),
    }


@permission_required(VIEW, raise_exception=True)
def lead_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lead = visible_or_404(Lead, request.user, pk, related=LEAD_RELATED)
    return render(request, "leads/lead_detail.html", _detail_context(request, lead))


def _rerender(request: HttpRequest, lead: Lead, **forms: Any) -> HttpResponse:
    context = _detail_context(request, lead, **forms)
    return render(request, "leads/lead_detail.html", context, status=422)


@post_only
def lead_update(request: HttpRequest, pk: int) -> HttpResponse:
    lead = visible_or_404(Lead, request.user, pk, related=LEAD_RELATED)
    form = LeadUpdateForm(request.POST, vehicles=in_stock_at([lead.rooftop_id]), prefix="edit")
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            actions.update_lead(request.user, lead, expected_version=version, **data)
        except actions.LeadVersionConflict as conflict:
            form.add_error(None, str(conflict))
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, "Lead saved.")
            return redirect("leads:lead-detail", pk=pk)
    return _rerender(request, lead, update_form=form)


@post_only
def lead_status(request: HttpRequest, pk: int) -> HttpResponse:
    lead = visible_or_404(Lead, request.user, pk, related=LEAD_RELATED)
    form = StatusForm(request.POST, current=lead.status)
    from_board = request.POST.get("from") == "board"
    problem = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            changed = actions.change_lead_status(
                request.user,
                lead,
                to_status=data["status"],
                lost_reason=data["lost_reason"],
                lost_note=data["lost_note"],
                expected_version=data["version"],
            )
        except actions.LeadVersionConflict as conflict:
            form.add_error(None, str(conflict))
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            if from_board:
                if is_htmx(request):
                    return render(request, "leads/lead_board.html#board", board_context(request))
                return redirect("leads:lead-board")
            messages.success(request, f"Lead is now {changed.get_status_display()}.")
            return redirect("leads:lead-detail", pk=pk)
    problem = " ".join(str(e) for errors in form.errors.values() for e in errors)
    if from_board:
        context = board_context(request, error=f"Lead #{pk}: {problem}")
        if is_htmx(request):
            return render(request, "leads/lead_board.html#board", context)
        return render(request, "leads/lead_board.html", context, status=422)
    return _rerender(request, lead, status_form=form)


@post_only
def lead_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    lead = visible_or_404(Lead, request.user, pk, related=LEAD_RELATED)
    form = FollowUpForm(request.POST)
    back = request.POST.get("from") == "my-day"
    if form.is_valid():
        try:
            actions.set_follow_up(request.user, lead, form.cleaned_data["next_follow_up_on"])
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, "Follow-up date set.")
            if back:
                return redirect("leads:my-day")
            return redirect("leads:lead-detail", pk=pk)
    if back:
        messages.error(request, "Enter a valid follow-up date.")
        return redirect("leads:my-day")
    return _rerender(request, lead, follow_up_form=form)
