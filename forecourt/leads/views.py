"""Leads screens: board, list, walk-in, lead page, My day, the customer timeline partial and
the CSV import. Thin adapters over search.py, myday.py and actions.py.

htmx swaps only 2xx answers, so a refused action asked for by htmx re-renders its fragment
with the message at 200; the same request without htmx gets the page at 422.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from forecourt.accounts.models import Rooftop, User
from forecourt.core.forms import add_action_errors, filter_error
from forecourt.core.security.pii import masked, reveal_field
from forecourt.customers.actions import DuplicateCustomerError
from forecourt.customers.models import Customer
from forecourt.leads import actions, csv_import
from forecourt.leads.forms import (
    AppointmentForm,
    AppointmentStatusForm,
    FinishTestDriveForm,
    FollowUpForm,
    ImportForm,
    LeadFieldsForm,
    LeadUpdateForm,
    LogActivityForm,
    ReassignForm,
    StatusForm,
    TestDriveForm,
    WalkInForm,
    in_stock_at,
)
from forecourt.leads.models import (
    OPEN_LEAD_STATUSES,
    Activity,
    ActivityKind,
    Lead,
    LeadSource,
    LeadStatus,
)
from forecourt.leads.myday import my_day
from forecourt.leads.search import FOLLOW_UP_CHOICES, BadQuery, LeadFilters, search_leads

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
VIEW = "leads.view_lead"
BOARD_COLUMN_SIZE = 50


def _limit(form: Any, name: str, *, queryset: Any = None, choices: Any = None) -> None:
    """Narrow a choice field to what this user and customer may pick."""
    field: Any = form.fields[name]
    if queryset is not None:
        field.queryset = queryset
    if choices is not None:
        field.choices = choices


def _is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def _rooftops(request: HttpRequest) -> QuerySet[Rooftop]:
    return Rooftop.objects.for_user(request.user, "view")


def _colleagues(request: HttpRequest) -> QuerySet[User]:
    """Who may own the user's rooftops' leads: the owner filters and the reassign picker."""
    return actions.lead_workers(_rooftops(request))


def _visible_lead(request: HttpRequest, pk: int) -> Lead:
    queryset = Lead.objects.for_user(request.user, "view").select_related(
        "customer", "owner", "vehicle", "rooftop"
    )
    return get_object_or_404(queryset, pk=pk)


def _visible_customer(request: HttpRequest, pk: int) -> Customer:
    return get_object_or_404(Customer.objects.for_user(request.user, "view"), pk=pk)


# --- board and list ------------------------------------------------------------------


def _board_context(request: HttpRequest, error: str = "") -> dict[str, Any]:
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
        "rooftops": _rooftops(request),
        "owners": _colleagues(request),
        "query": urlencode(filters.as_query(), doseq=True),
    }


@permission_required(VIEW, raise_exception=True)
def lead_board(request: HttpRequest) -> HttpResponse:
    template = "leads/lead_board.html"
    if _is_htmx(request) and request.headers.get("HX-Target") == "board":
        template += "#board"
    return render(request, template, _board_context(request))


def _list_url(filters: dict[str, Any]) -> str:
    query = urlencode(filters, doseq=True)
    return reverse("leads:lead-list") + (f"?{query}" if query else "")


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
    base = filters.as_query()
    context = {
        "filters": filters,
        "page": page,
        "error": error,
        "statuses": LeadStatus.choices,
        "sources": LeadSource.choices,
        "follow_ups": FOLLOW_UP_CHOICES.items(),
        "rooftops": _rooftops(request),
        "owners": _colleagues(request),
        "next_url": _list_url({**base, "cursor": page.next_cursor})
        if page and page.next_cursor
        else "",
        "first_url": _list_url(base),
        "is_later_page": bool(request.GET.get("cursor")),
        "return_query": request.GET.urlencode(),
    }
    template = "leads/lead_list.html"
    if _is_htmx(request) and request.headers.get("HX-Target") == "results":
        template += "#results"
    return render(request, template, context)


@require_POST
@permission_required("leads.reassign_lead", raise_exception=True)
def lead_reassign(request: HttpRequest) -> HttpResponse:
    form = ReassignForm(request.POST, owners=_colleagues(request))
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


# --- creating leads ------------------------------------------------------------------


@permission_required("leads.add_lead", raise_exception=True)
def lead_walk_in(request: HttpRequest) -> HttpResponse:
    rooftops = _rooftops(request)
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
                duplicates = duplicate.matches
                add_action_errors(form, duplicate)
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
    status = 422 if form.errors else 200
    context = {"form": form, "duplicates": duplicates}
    return render(request, "leads/walk_in.html", context, status=status)


@permission_required("leads.add_lead", raise_exception=True)
def lead_create(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = _visible_customer(request, customer_id)
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


# --- one lead ------------------------------------------------------------------------


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
    return {
        "lead": lead,
        "update_form": forms.get("update_form")
        or LeadUpdateForm(initial=initial, vehicles=vehicles, prefix="edit"),
        "status_form": forms.get("status_form")
        or StatusForm(current=lead.status, initial={"version": lead.version}),
        "follow_up_form": forms.get("follow_up_form")
        or FollowUpForm(initial={"next_follow_up_on": lead.next_follow_up_on}),
        **_timeline_context(request, lead.customer),
    }


@permission_required(VIEW, raise_exception=True)
def lead_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _visible_lead(request, pk)
    return render(request, "leads/lead_detail.html", _detail_context(request, lead))


def _rerender(request: HttpRequest, lead: Lead, **forms: Any) -> HttpResponse:
    context = _detail_context(request, lead, **forms)
    return render(request, "leads/lead_detail.html", context, status=422)


@require_POST
def lead_update(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _visible_lead(request, pk)
    form = LeadUpdateForm(request.POST, vehicles=in_stock_at([lead.rooftop_id]), prefix="edit")
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            actions.update_lead(request.user, lead, expected_version=version, **data)
        except actions.VersionConflict as conflict:
            form.add_error(None, str(conflict))
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, "Lead saved.")
            return redirect("leads:lead-detail", pk=pk)
    return _rerender(request, lead, update_form=form)


@require_POST
def lead_status(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _visible_lead(request, pk)
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
        except actions.VersionConflict as conflict:
            form.add_error(None, str(conflict))
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            if from_board:
                if _is_htmx(request):
                    return render(request, "leads/lead_board.html#board", _board_context(request))
                return redirect("leads:lead-board")
            messages.success(request, f"Lead is now {changed.get_status_display()}.")
            return redirect("leads:lead-detail", pk=pk)
    problem = " ".join(str(e) for errors in form.errors.values() for e in errors)
    if from_board:
        context = _board_context(request, error=f"Lead #{pk}: {problem}")
        if _is_htmx(request):
            return render(request, "leads/lead_board.html#board", context)
        return render(request, "leads/lead_board.html", context, status=422)
    return _rerender(request, lead, status_form=form)


@require_POST
def lead_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _visible_lead(request, pk)
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


# --- My day --------------------------------------------------------------------------


@permission_required(VIEW, raise_exception=True)
def my_day_view(request: HttpRequest) -> HttpResponse:
    day = my_day(request.user)
    drives = [
        {"activity": a, "licence": masked(a, "drivers_license_number")} for a in day.test_drives
    ]
    context = {
        "day": day,
        "test_drives": drives,
        "log_form": LogActivityForm(),
        "finish_form": FinishTestDriveForm(),
    }
    return render(request, "leads/my_day.html", context)


# --- customer timeline (htmx partial) and its forms ----------------------------------


def _sellers(customer: Customer) -> QuerySet[User]:
    return actions.lead_workers([customer.rooftop_id])


def _drivable(customer: Customer) -> QuerySet[Any]:
    return in_stock_at([customer.rooftop_id]).filter(status__in=actions.DRIVABLE)


def _lead_choices(customer: Customer) -> list[tuple[Any, str]]:
    leads = Lead.objects.filter(customer=customer).order_by("-created_at")[:20]
    return [("", "-")] + [(lead.pk, f"#{lead.pk} {lead.get_status_display()}") for lead in leads]


def _timeline_context(request: HttpRequest, customer: Customer, **forms: Any) -> dict[str, Any]:
    user: Any = request.user
    activities = list(
        Activity.objects.for_user(user, "view")
        .filter(customer=customer)
        .select_related("created_by", "salesperson", "vehicle")
        .order_by("-occurred_at", "-id")[:50]
    )
    leads = list(
        Lead.objects.for_user(user, "view")
        .filter(customer=customer)
        .select_related("owner", "vehicle")
        .order_by("-created_at")[:20]
    )
    lead_choices = _lead_choices(customer)
    log_form = forms.get("log_form") or LogActivityForm(prefix="log")
    appointment_form = forms.get("appointment_form") or AppointmentForm(
        initial={"salesperson": user.pk}, prefix="appt"
    )
    _limit(appointment_form, "salesperson", queryset=_sellers(customer))
    drive_form = forms.get("drive_form") or TestDriveForm(prefix="drive")
    _limit(drive_form, "vehicle", queryset=_drivable(customer))
    for form in (log_form, appointment_form, drive_form):
        _limit(form, "lead", choices=lead_choices)
    return {
        "customer": customer,
        "timeline": [
            {"activity": a, "licence": masked(a, "drivers_license_number")} for a in activities
        ],
        "customer_leads": leads,
        "log_form": log_form,
        "appointment_form": appointment_form,
        "drive_form": drive_form,
        "finish_form": FinishTestDriveForm(),
        "appointment_status_form": AppointmentStatusForm(),
        "timeline_error": forms.get("error", ""),
        "open_statuses": OPEN_LEAD_STATUSES,
    }


@permission_required("leads.view_activity", raise_exception=True)
def customer_timeline(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = _visible_customer(request, customer_id)
    template = "leads/_timeline.html" if _is_htmx(request) else "leads/timeline_page.html"
    return render(request, template, _timeline_context(request, customer))


def _timeline_answer(
    request: HttpRequest, customer: Customer, ok_message: str = "", **forms: Any
) -> HttpResponse:
    """After a timeline form: the fresh partial for htmx, else back to where it was used."""
    failed = bool(forms)
    if _is_htmx(request):
        context = _timeline_context(request, customer, **forms)
        context["timeline_message"] = "" if failed else ok_message
        return render(request, "leads/_timeline.html", context)
    if failed:
        context = _timeline_context(request, customer, **forms)
        return render(request, "leads/timeline_page.html", context, status=422)
    messages.success(request, ok_message)
    lead_id = str(next((v for k, v in request.POST.items() if k.endswith("lead") and v), ""))
    if (
        lead_id
        and lead_id.isdigit()
        and Lead.objects.for_user(request.user, "view")
        .filter(pk=lead_id, customer=customer)
        .exists()
    ):
        return redirect("leads:lead-detail", pk=int(lead_id))
    return redirect("leads:customer-timeline", customer_id=customer.pk)


def _lead_of(request: HttpRequest, customer: Customer, lead_id: int | None) -> Lead | None:
    if lead_id is None:
        return None
    return Lead.objects.for_user(request.user, "view").filter(pk=lead_id, customer=customer).first()


@require_POST
def activity_log(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = _visible_customer(request, customer_id)
    form = LogActivityForm(request.POST, prefix="log")
    _limit(form, "lead", choices=_lead_choices(customer))
    if form.is_valid():
        data = form.cleaned_data
        try:
            activity = actions.log_activity(
                request.user,
                customer,
                kind=data["kind"],
                direction=data["direction"],
                subject=data["subject"],
                body=data["body"],
                lead=_lead_of(request, customer, data["lead"]),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return _timeline_answer(request, customer, f"{activity.get_kind_display()} logged.")
    return _timeline_answer(request, customer, log_form=form)


@require_POST
def appointment_create(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = _visible_customer(request, customer_id)
    form = AppointmentForm(request.POST, prefix="appt")
    _limit(form, "salesperson", queryset=_sellers(customer))
    _limit(form, "lead", choices=_lead_choices(customer))
    # The times typed are wall-clock times at the customer's rooftop, as the timeline shows
    # them; so are the times in the action's double-booking message.
    with timezone.override(customer.rooftop.time_zone):
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.schedule_appointment(
                    request.user,
                    customer,
                    salesperson=data["salesperson"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    subject=data["subject"],
                    lead=_lead_of(request, customer, data["lead"]),
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                return _timeline_answer(request, customer, "Appointment booked.")
    return _timeline_answer(request, customer, appointment_form=form)


@require_POST
def test_drive_start(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = _visible_customer(request, customer_id)
    form = TestDriveForm(request.POST, prefix="drive")
    _limit(form, "vehicle", queryset=in_stock_at([customer.rooftop_id]))
    _limit(form, "lead", choices=_lead_choices(customer))
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.start_test_drive(
                request.user,
                customer,
                vehicle=data["vehicle"],
                drivers_license_number=data["drivers_license_number"],
                drivers_license_state=data["drivers_license_state"],
                odometer_out=data["odometer_out"],
                lead=_lead_of(request, customer, data["lead"]),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return _timeline_answer(request, customer, "Test drive started.")
    return _timeline_answer(request, customer, drive_form=form)


def _visible_activity(request: HttpRequest, pk: int) -> Activity:
    queryset = Activity.objects.for_user(request.user, "view").select_related("customer")
    return get_object_or_404(queryset, pk=pk)


@require_POST
def test_drive_finish(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _visible_activity(request, pk)
    form = FinishTestDriveForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            actions.finish_test_drive(
                request.user, activity, odometer_in=form.cleaned_data["odometer_in"]
            )
        except ValidationError as refused:
            error = " ".join(refused.messages)
    else:
        error = "Enter the odometer reading."
    if request.POST.get("from") == "my-day":
        if error:
            messages.error(request, error)
        else:
            messages.success(request, "Test drive finished.")
        return redirect("leads:my-day")
    if error:
        return _timeline_answer(request, activity.customer, error=error)
    return _timeline_answer(request, activity.customer, "Test drive finished.")


@require_POST
@permission_required("leads.reveal_activity", raise_exception=True)
def reveal_licence(request: HttpRequest, pk: int) -> HttpResponse:
    """The full licence number in place of the mask (htmx), audited by reveal_field."""
    activity = _visible_activity(request, pk)
    number = reveal_field(request.user, activity, "drivers_license_number")
    return render(request, "leads/_licence.html", {"number": number, "activity": activity})


@require_POST
def appointment_status(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _visible_activity(request, pk)
    form = AppointmentStatusForm(request.POST)
    if not form.is_valid():
        return _timeline_answer(request, activity.customer, error="Choose what happened.")
    try:
        actions.set_appointment_status(
            request.user, activity, form.cleaned_data["appointment_status"]
        )
    except ValidationError as refused:
        return _timeline_answer(request, activity.customer, error=" ".join(refused.messages))
    return _timeline_answer(request, activity.customer, "Appointment updated.")


@require_POST
def my_day_log_call(request: HttpRequest, pk: int) -> HttpResponse:
    """My day's quick "log call" on a lead: an outbound call, consent permitting."""
    lead = _visible_lead(request, pk)
    body = request.POST.get("body", "")[:2000]
    try:
        actions.log_activity(
            request.user,
            lead.customer,
            kind=ActivityKind.CALL,
            direction=request.POST.get("direction") or "outbound",
            body=body,
            lead=lead,
        )
    except (ValidationError, PermissionDenied) as refused:
        messages.error(request, " ".join(getattr(refused, "messages", [str(refused)])))
    else:
        messages.success(request, f"Call with {lead.customer} logged.")
    return redirect("leads:my-day")


# --- import --------------------------------------------------------------------------


@permission_required("leads.import_lead", raise_exception=True)
def lead_import(request: HttpRequest) -> HttpResponse:
    rooftops = _rooftops(request)
    result = None
    form = ImportForm(request.POST or None, request.FILES or None, rooftops=rooftops)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = csv_import.import_leads(
                request.user, data["rooftop"], data["file"], mode=data["mode"]
            )
        except csv_import.ImportFileError as error:
            form.add_error("file", str(error))
        except ValidationError as error:
            add_action_errors(form, error)
    status = 422 if form.errors or (result and result.errors) else 200
    context = {"form": form, "result": result, "columns": csv_import.COLUMNS}
    return render(request, "leads/import.html", context, status=status)
