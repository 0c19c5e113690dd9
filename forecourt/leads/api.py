"""/api/v1/leads and /api/v1/activities: thin adapters over actions/ and search.py.

The website lead endpoint (POST /leads/web) authenticates with its own narrow token scope
(`leads:create`): a token made for a public web form can create leads and nothing else.
"""

from __future__ import annotations

import re
from typing import Any

import orjson
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from forecourt.accounts.auth import ApiTokenAuth
from forecourt.accounts.models import Rooftop, User
from forecourt.core.api_errors import READ_ERRORS, WRITE_ERRORS, as_api_error, error_responses
from forecourt.core.api_responses import json_response, to_json_bytes
from forecourt.core.api_writes import run_action
from forecourt.core.concurrency import expected_version
from forecourt.core.idempotency import idempotent, subject_of
from forecourt.core.permissions import sees_all_rooftops
from forecourt.core.security.actions.reveal import reveal_field
from forecourt.core.visibility import visible_or_404
from forecourt.customers.contact import normalize_email, normalize_phone
from forecourt.customers.models import ConsentSource, Customer
from forecourt.inventory.models import Vehicle
from forecourt.leads import actions
from forecourt.leads.models import Activity, ActivityKind, Lead, LeadSource
from forecourt.leads.schemas import (
    ActivityCreate,
    ActivityOut,
    ActivityPage,
    LeadCreate,
    LeadOut,
    LeadPage,
    LeadStatusIn,
    LeadUpdate,
    ReassignIn,
    ReassignOut,
    TestDriveFinishIn,
    WebLeadIn,
    WebLeadOut,
    activity_dict,
    lead_dict,
)
from forecourt.leads.search import (
    DEFAULT_LIMIT,
    ActivityFilters,
    BadQuery,
    LeadFilters,
    search_activities,
    search_leads,
)

router = Router(tags=["Leads"])
CONDITIONAL_ERRORS = (*WRITE_ERRORS, 412)
WEB_LEAD_SCOPE = "leads:create"
MAX_LINKS_IN_MESSAGE = 2
_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)


def _lead_response(lead: Lead, status: int = 200) -> Any:
    return json_response(lead_dict(lead), status, {"ETag": lead.etag})


def _jsonable(body: Any) -> Any:
    """The body as JSON values (an idempotent create stores it to replay)."""
    return orjson.loads(to_json_bytes(body))


# --- lookups -------------------------------------------------------------------------


def _lead(request: HttpRequest, lead_id: int) -> Lead:
    return visible_or_404(Lead, request.user, lead_id, related=("customer", "owner", "vehicle"))


def _activity(request: HttpRequest, activity_id: int) -> Activity:
    return visible_or_404(Activity, request.user, activity_id)


def _customer_subject(body: dict[str, Any]) -> str:
    """A replayable lead or activity names its customer: disposing of them forgets the key."""
    return subject_of(Customer, body["customer_id"])


def _customer(request: HttpRequest, customer_id: int) -> Customer:
    try:
        return Customer.objects.for_user(request.user, "view").get(pk=customer_id)
    except Customer.DoesNotExist:
        raise as_api_error(ValidationError({"customer_id": "No such customer."})) from None


def _optional(request: HttpRequest, model: Any, pk: int | None, field: str) -> Any:
    """An object the caller may see, or a 422 on `field` (never a hint of other rooftops)."""
    if pk is None:
        return None
    found = model.objects.for_user(request.user, "view").filter(pk=pk).first()
    if found is None:
        raise as_api_error(ValidationError({field: "Not found."}))
    return found


def _colleague(request: HttpRequest, user_id: int | None, field: str) -> Any:
    """A user who works at one of the caller's rooftops (the action checks the rooftop)."""
    if user_id is None:
        return None
    colleagues = User.objects.filter(pk=user_id, is_active=True)
    if not sees_all_rooftops(request.user):
        colleagues = colleagues.filter(rooftops__in=request.user.rooftops.values("pk"))  # type: ignore[union-attr]
    found = colleagues.first()
    if found is None:
        raise as_api_error(ValidationError({field: "Not found."}))
    return found


def _require_view(request: HttpRequest, permission: str) -> None:
    """A list the caller's role may not read at all is a 403, not an empty page."""
    if not request.user.has_perm(permission):
        raise HttpError(403, f"Your role does not allow this ({permission}).")


def _filters(request: HttpRequest, parse: Any) -> Any:
    try:
        return parse(request.GET)
    except BadQuery as error:
        raise as_api_error(ValidationError({error.field_name: str(error)})) from None


# --- leads ---------------------------------------------------------------------------


class LeadQuery(Schema):
    q: str = ""
    rooftop: int | None = None
    status: list[str] = []
    source: str = ""
    owner: int | None = None
    customer: int | None = None
    follow_up: str = ""
    cursor: str = ""
    limit: int = DEFAULT_LIMIT


@router.get(
    "/leads",
    response={200: LeadPage, **error_responses(*READ_ERRORS)},
    summary="List leads (filters, keyset pages)",
    description=(
        "Same filters as the leads screen: `status` (repeatable), `source`, `owner` (user "
        "id), `customer`, `rooftop`, `follow_up` (overdue, today, none) and `q` (customer "
        "name prefix or words of the vehicle description). Newest first; pass `next_cursor` "
        "back as `cursor`. No total count."
    ),
)
def list_leads(request: HttpRequest, query: Query[LeadQuery]) -> Any:
    _require_view(request, "leads.view_lead")
    filters = _filters(request, LeadFilters.from_query)
    try:
        page = search_leads(
            Lead.objects.for_user(request.user, "view"),
            filters,
            cursor=query.cursor,
            limit=query.limit,
        )
    except BadQuery as error:
        raise as_api_error(ValidationError({error.field_name: str(error)})) from None
    items = [lead_dict(lead) for lead in page.rows]
    return json_response(
        {"items": items, "next_cursor": page.next_cursor, "has_next": page.has_next}
    )


@router.post(
    "/leads/reassign",
    response={200: ReassignOut, **error_responses(*WRITE_ERRORS)},
    summary="Reassign leads to another salesperson (managers)",
    description=(
        "Needs `leads.reassign_lead`. The new owner must work at each lead's rooftop; leads "
        "that cannot move are listed in `skipped` with the reason."
    ),
)
def reassign_leads(request: HttpRequest, payload: ReassignIn) -> Any:
    owner = _colleague(request, payload.owner_id, "owner_id")
    result = run_action(lambda: actions.reassign_leads(request.user, payload.lead_ids, owner))
    return {"changed": result.changed, "skipped": {str(k): v for k, v in result.skipped.items()}}


# --- website lead form -----------------------------------------------------------------


class WebLeadTokenAuth(ApiTokenAuth):
    """A token holding the `leads:create` scope (and needing nothing else)."""

    openapi_description = "An API token with the `leads:create` scope (Users -> API tokens)."

    def required_scope(self, request: HttpRequest) -> str:
        return WEB_LEAD_SCOPE


def _web_errors(payload: WebLeadIn, rooftop: Rooftop) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    data: dict[str, Any] = {"first_name": payload.first_name, "last_name": payload.last_name}
    if not payload.email and not payload.phone:
        errors["email"] = "Give an email address or a phone number."
    if payload.email:
        try:
            data["email"] = normalize_email(payload.email)
        except ValidationError as error:
            errors["email"] = " ".join(error.messages)
    if payload.phone:
        try:
            data["mobile_phone"] = normalize_phone(payload.phone, rooftop.country)
        except ValidationError as error:
            errors["phone"] = " ".join(error.messages)
    if len(_LINK.findall(payload.message)) > MAX_LINKS_IN_MESSAGE:
        errors["message"] = f"At most {MAX_LINKS_IN_MESSAGE} links in a message."
    if not (payload.message.strip() or payload.stock_number or payload.vehicle_description):
        errors["message"] = "Say what you are interested in."
    return data, errors


@router.post(
    "/leads/web",
    auth=WebLeadTokenAuth(),
    response={201: WebLeadOut, **error_responses(*WRITE_ERRORS, 429)},
    summary="Submit a website lead form",
    description=(
        "For a dealer website's contact form, called by the website's server with a token "
        "holding the `leads:create` scope. Matches the customer by email or phone at the "
        "rooftop (or creates them), records the consents ticked on the form (source "
        "web_form) and creates a lead with source `website`. Validation is strict (422 with "
        "`fields`): a name, an email or phone, something they are interested in, at most "
        "two links. `website` is a honeypot: when filled the submission is accepted but "
        "discarded (`lead_id` null). Requests are rate limited per token (429 with "
        "Retry-After). Send an `Idempotency-Key` so a retried submission creates one lead."
    ),
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {
                    "example": {
                        "rooftop_id": 1,
                        "first_name": "Ana",
                        "last_name": "Diaz",
                        "email": "ana.diaz@example.com",
                        "phone": "(415) 555-2671",
                        "message": "Is the blue CR-V still available? Can I drive it Saturday?",
                        "stock_number": "260042",
                        "consent_email": True,
                        "consent_sms": False,
                        "consent_call": True,
                        "source_detail": "Vehicle detail page",
                        "website": "",
                    }
                }
            }
        }
    },
)
def web_lead(request: HttpRequest, payload: WebLeadIn) -> Any:
    rooftop = visible_or_404(Rooftop, request.user, payload.rooftop_id)
    if payload.website:
        # A bot filled the hidden field: answer like a success, write nothing.
        return json_response({"accepted": True, "lead_id": None}, 201)
    data, errors = _web_errors(payload, rooftop)
    if errors:
        raise as_api_error(ValidationError(errors))
    vehicle = None
    if payload.stock_number:
        vehicle = Vehicle.objects.filter(
            rooftop=rooftop, stock_number=payload.stock_number, status__in=actions.IN_STOCK
        ).first()
    description = payload.vehicle_description
    if payload.stock_number and vehicle is None:
        description = f"{description} (asked about stock # {payload.stock_number})".strip()
    consents = {
        "email": payload.consent_email,
        "sms": payload.consent_sms,
        "call": payload.consent_call,
    }

    def write() -> Lead:
        customer, _ = actions.match_or_create_customer(
            request.user, rooftop, data, consents, ConsentSource.WEB_FORM, regrant=True
        )
        return actions.create_lead(
            request.user,
            customer,
            source=LeadSource.WEBSITE,
            source_detail=payload.source_detail,
            vehicle=vehicle,
            vehicle_description=description[:200],
            notes=payload.message,
            assign_to_actor=False,
        )

    def run() -> tuple[int, Any, dict[str, str]]:
        lead = run_action(write)
        return 201, {"accepted": True, "lead_id": lead.pk}, {}

    return idempotent(request, run)


# Registered after /leads/reassign and /leads/web, so those literal paths match first.
@router.get(
    "/leads/{lead_id}",
    response={200: LeadOut, **error_responses(*READ_ERRORS)},
    summary="Get a lead",
    description="The `ETag` header carries the version to send back in `If-Match`.",
)
def get_lead(request: HttpRequest, lead_id: int) -> Any:
    return _lead_response(_lead(request, lead_id))


@router.post(
    "/leads",
    response={201: LeadOut, **error_responses(*WRITE_ERRORS)},
    summary="Create a lead for an existing customer",
    description=(
        "The owner defaults to the caller. Send an `Idempotency-Key` header to make retries "
        "safe: the same key and body return the first response again."
    ),
)
def create_lead(request: HttpRequest, payload: LeadCreate) -> Any:
    customer = _customer(request, payload.customer_id)
    vehicle = _optional(request, Vehicle, payload.vehicle_id, "vehicle_id")
    owner = _colleague(request, payload.owner_id, "owner_id")
    fields = payload.model_dump(exclude={"customer_id", "vehicle_id", "owner_id"})

    def run() -> tuple[int, Any, dict[str, str]]:
        lead = run_action(
            lambda: actions.create_lead(
                request.user, customer, vehicle=vehicle, owner=owner, **fields
            )
        )
        body = _jsonable(lead_dict(_lead(request, lead.pk)))
        return 201, body, {"ETag": lead.etag, "Location": f"/api/v1/leads/{lead.pk}"}

    return idempotent(request, run, subject=_customer_subject)


@router.patch(
    "/leads/{lead_id}",
    response={200: LeadOut, **error_responses(*CONDITIONAL_ERRORS)},
    summary="Update a lead (optimistic concurrency)",
    description=(
        'Send the version you read as `If-Match: "3"` (a stale one answers 412) or as the '
        "`version` field (a stale one answers 409). Status and owner have their own endpoints."
    ),
)
def update_lead(request: HttpRequest, lead_id: int, payload: LeadUpdate) -> Any:
    lead = _lead(request, lead_id)
    version, mismatch = expected_version(request, payload.version)
    fields = payload.model_dump(exclude={"version"}, exclude_unset=True)
    if "vehicle_id" in fields:
        fields["vehicle"] = _optional(request, Vehicle, fields.pop("vehicle_id"), "vehicle_id")
    run_action(
        lambda: actions.update_lead(request.user, lead, expected_version=version, **fields),
        mismatch,
    )
    return _lead_response(_lead(request, lead_id))


@router.post(
    "/leads/{lead_id}/status",
    response={200: LeadOut, **error_responses(*CONDITIONAL_ERRORS)},
    summary="Move a lead along the pipeline (legal moves only)",
    description=(
        "new -> contacted -> appointment -> shown -> quoted -> won, or lost (with "
        "`lost_reason`) from any open status; see docs/leads.md for the full table."
    ),
)
def change_lead_status(request: HttpRequest, lead_id: int, payload: LeadStatusIn) -> Any:
    lead = _lead(request, lead_id)
    version, mismatch = expected_version(request, payload.version)
    run_action(
        lambda: actions.change_lead_status(
            request.user,
            lead,
            to_status=payload.status,
            lost_reason=payload.lost_reason or "",
            lost_note=payload.lost_note,
            expected_version=version,
        ),
        mismatch,
    )
    return _lead_response(_lead(request, lead_id))


# --- activities ----------------------------------------------------------------------


class ActivityQuery(Schema):
    customer: int | None = None
    lead: int | None = None
    kind: str = ""
    cursor: str = ""
    limit: int = DEFAULT_LIMIT


@router.get(
    "/activities",
    response={200: ActivityPage, **error_responses(*READ_ERRORS)},
    summary="List activities (by customer, lead, kind; keyset pages)",
    description="Newest first. Licence numbers are masked.",
)
def list_activities(request: HttpRequest, query: Query[ActivityQuery]) -> Any:
    _require_view(request, "leads.view_activity")
    filters = _filters(request, ActivityFilters.from_query)
    try:
        page = search_activities(
            Activity.objects.for_user(request.user, "view"),
            filters,
            cursor=query.cursor,
            limit=query.limit,
        )
    except BadQuery as error:
        raise as_api_error(ValidationError({error.field_name: str(error)})) from None
    items = [activity_dict(a) for a in page.rows]
    return json_response(
        {"items": items, "next_cursor": page.next_cursor, "has_next": page.has_next}
    )


@router.get(
    "/activities/{activity_id}",
    response={200: ActivityOut, **error_responses(*READ_ERRORS)},
    summary="Get an activity",
)
def get_activity(request: HttpRequest, activity_id: int) -> Any:
    return json_response(activity_dict(_activity(request, activity_id)))


def _create_activity(request: HttpRequest, payload: ActivityCreate) -> Activity:
    customer = _customer(request, payload.customer_id)
    lead = _optional(request, Lead, payload.lead_id, "lead_id")
    user = request.user
    if payload.kind == ActivityKind.APPOINTMENT:
        if payload.salesperson_id is None:
            raise as_api_error(ValidationError({"salesperson_id": "Choose the salesperson."}))
        salesperson = _colleague(request, payload.salesperson_id, "salesperson_id")
        starts_at, ends_at = payload.starts_at, payload.ends_at
        if starts_at is None or ends_at is None:
            raise as_api_error(ValidationError({"starts_at": "Give the start and end."}))
        return run_action(
            lambda: actions.schedule_appointment(
                user,
                customer,
                salesperson=salesperson,
                starts_at=starts_at,
                ends_at=ends_at,
                lead=lead,
                subject=payload.subject,
                body=payload.body,
            )
        )
    if payload.kind == ActivityKind.TEST_DRIVE:
        vehicle = _optional(request, Vehicle, payload.vehicle_id, "vehicle_id")
        if vehicle is None:
            raise as_api_error(ValidationError({"vehicle_id": "Choose the vehicle."}))
        return run_action(
            lambda: actions.start_test_drive(
                user,
                customer,
                vehicle=vehicle,
                drivers_license_number=payload.drivers_license_number,
                drivers_license_state=payload.drivers_license_state,
                odometer_out=payload.odometer_out,  # type: ignore[arg-type]
                lead=lead,
                out_at=payload.occurred_at,
                body=payload.body,
            )
        )
    return run_action(
        lambda: actions.log_activity(
            user,
            customer,
            kind=payload.kind,
            direction=payload.direction or "",
            subject=payload.subject,
            body=payload.body,
            lead=lead,
            occurred_at=payload.occurred_at,
        )
    )


@router.post(
    "/activities",
    response={201: ActivityOut, **error_responses(*WRITE_ERRORS)},
    summary="Record an activity: call, email, SMS, note, appointment or test drive start",
    description=(
        "Calls, emails and SMS are logged, never sent. Outbound contact on a channel the "
        "customer has not consented to is refused (422). An appointment that overlaps one of "
        "the salesperson's scheduled appointments is refused (422), as is a test drive of a "
        "vehicle already out. Send an `Idempotency-Key` to make retries safe."
    ),
)
def create_activity(request: HttpRequest, payload: ActivityCreate) -> Any:
    def run() -> tuple[int, Any, dict[str, str]]:
        activity = _create_activity(request, payload)
        return (
            201,
            _jsonable(activity_dict(activity)),
            {"Location": f"/api/v1/activities/{activity.pk}"},
        )

    return idempotent(request, run, subject=_customer_subject)


@router.post(
    "/activities/{activity_id}/finish",
    response={200: ActivityOut, **error_responses(*WRITE_ERRORS)},
    summary="Finish a test drive (odometer and time in)",
)
def finish_test_drive(request: HttpRequest, activity_id: int, payload: TestDriveFinishIn) -> Any:
    activity = _activity(request, activity_id)
    finished = run_action(
        lambda: actions.finish_test_drive(
            request.user,
            activity,
            odometer_in=payload.odometer_in,
            in_at=payload.in_at,
            body=payload.body,
        )
    )
    return json_response(activity_dict(finished))


class LicenceOut(Schema):
    drivers_license_number: str
    drivers_license_state: str


@router.post(
    "/activities/{activity_id}/reveal-licence",
    response={200: LicenceOut, **error_responses(*WRITE_ERRORS)},
    summary="Reveal a test driver's full licence number (audited)",
    description="Needs `leads.reveal_activity`. Every reveal is an audit entry and a log line.",
)
def reveal_licence(request: HttpRequest, activity_id: int) -> Any:
    activity = _activity(request, activity_id)
    number = reveal_field(request.user, activity, "drivers_license_number")
    return {
        "drivers_license_number": number,
        "drivers_license_state": activity.drivers_license_state,
    }
