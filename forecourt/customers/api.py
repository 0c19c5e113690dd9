"""/api/v1/customers: thin adapters over actions.py, search.py and scoped reads.

Lists never carry sensitive fields; the detail carries them masked for everyone. A caller
whose role may reveal asks for one full value with POST /customers/{id}/reveal, which is
audited and logged (core.security.actions.reveal_field): the detail itself never
changes with the role.
"""

from __future__ import annotations

from typing import Any

import orjson
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Schema

from forecourt.accounts.models import Rooftop
from forecourt.core.api_errors import (
    READ_ERRORS,
    WRITE_ERRORS,
    as_api_error,
    error_body,
    error_responses,
)
from forecourt.core.api_responses import json_response, to_json_bytes
from forecourt.core.api_writes import run_action
from forecourt.core.concurrency import expected_version
from forecourt.core.idempotency import idempotent, subject_of
from forecourt.core.permissions import require_permission
from forecourt.core.security.actions.reveal import reveal_field
from forecourt.core.security.pii import masked
from forecourt.core.visibility import visible_or_404
from forecourt.customers import actions
from forecourt.customers.models import Customer
from forecourt.customers.schemas import (
    ConsentIn,
    ConsentOut,
    CustomerCreate,
    CustomerOut,
    CustomerPage,
    CustomerUpdate,
    MergeIn,
    RevealIn,
    RevealOut,
)
from forecourt.customers.search import (
    DEFAULT_LIMIT,
    LIST_COLUMNS,
    MAX_LIMIT,
    BadQuery,
    CustomerFilters,
    display_name,
    search,
)

router = Router(tags=["customers"])
CONDITIONAL_ERRORS = (*WRITE_ERRORS, 412)
REVEAL = "customers.reveal_customer"
DETAIL_COLUMNS = (
    "middle_name",
    "alt_email",
    "address_line1",
    "address_line2",
    "region",
    "postal_code",
    "country",
    "notes",
    "ofac_status",
    "legal_hold",
    "merged_into_id",
    "merged_at",
    "created_at",
    "updated_at",
)


def _visible(request: HttpRequest, customer_id: int) -> Customer:
    return visible_or_404(Customer, request.user, customer_id, related=("rooftop",))


def _detail(customer: Customer) -> dict[str, Any]:
    row: dict[str, Any] = {name: getattr(customer, name) for name in LIST_COLUMNS}
    row.update({name: getattr(customer, name) for name in DETAIL_COLUMNS})
    row["display_name"] = customer.display_name
    row["sensitive"] = {
        name: masked(customer, name) for name in actions.SENSITIVE_FIELDS
    }  # masked for every role: the full value only through /reveal
    row["consent_history"] = [
        {
            "channel": c.channel,
            "granted": c.granted,
            "source": c.source,
            "recorded_at": c.recorded_at,
            "recorded_by": c.recorded_by.email if c.recorded_by else None,
            "note": c.note,
        }
        for c in customer.consent_history.select_related("recorded_by")[:100]
    ]
    return row


def _detail_response(customer: Customer, status: int = 200, **headers: str) -> Any:
    return json_response(_detail(customer), status, {"ETag": customer.etag, **headers})


def _action_data(payload: Schema, exclude: set[str]) -> dict[str, Any]:
    data = payload.model_dump(exclude=exclude, exclude_unset=True)
    if "assigned_salesperson_id" in data:
        data["assigned_salesperson"] = data.pop("assigned_salesperson_id")
    return data


class CustomerQuery(Schema):
    q: str = ""
    rooftop: int | None = None
    salesperson: int | None = None
    tag: str = ""
    language: str = ""
    consent: str = ""
    sort: str = "name"
    cursor: str = ""
    limit: int = DEFAULT_LIMIT


@router.get(
    "/customers",
    response={200: CustomerPage, **error_responses(*READ_ERRORS, 422)},
    summary="Search customers (filters, keyset pages)",
    description=(
        "Same search and filters as the customers screen. `q` is an email (exact), a phone "
        "number in any format (matched in E.164 against every phone field), four digits "
        "(SSN last 4, through a blind index; only for roles that may reveal identifiers), "
        "or a case-insensitive name prefix. Filters: rooftop, salesperson (user id), tag, "
        "language (en/es), consent (call/sms/email). Sort: `name` or `-last_activity_at`. "
        "Keyset pages: pass `next_cursor` back as `cursor`; there is no total count. List "
        "items never contain sensitive identifiers."
    ),
)
def list_customers(request: HttpRequest, filters: Query[CustomerQuery]) -> Any:
    require_permission(request.user, "customers.view_customer")  # 403, not an empty page
    if not 1 <= filters.limit <= MAX_LIMIT:
        raise as_api_error(ValidationError({"limit": f"Between 1 and {MAX_LIMIT}."}))
    try:
        parsed = CustomerFilters.from_query(request.GET)
        page = search(
            Customer.objects.for_user(request.user, "view"),
            parsed,
            cursor=filters.cursor,
            limit=filters.limit,
            may_search_ssn=request.user.has_perm(REVEAL),
        )
    except BadQuery as error:
        raise as_api_error(ValidationError({error.field_name: str(error)})) from None
    items = [{**row, "display_name": display_name(row)} for row in page.rows]
    return json_response(
        {"items": items, "next_cursor": page.next_cursor, "has_next": page.has_next}
    )


@router.get(
    "/customers/{customer_id}",
    response={200: CustomerOut, **error_responses(*READ_ERRORS)},
    summary="Get a customer (sensitive identifiers masked)",
    description=(
        "Sensitive identifiers are masked for every caller. A role that may reveal them "
        "asks for one full value with POST /customers/{id}/reveal (audited). The `ETag` "
        "header carries the version to send back in `If-Match`."
    ),
)
def get_customer(request: HttpRequest, customer_id: int) -> Any:
    return _detail_response(_visible(request, customer_id))


@router.post(
    "/customers",
    response={201: CustomerOut, **error_responses(400, *WRITE_ERRORS)},
    summary="Create a customer",
    description=(
        "A person needs first and last name, a business its name; either needs a phone or "
        "an email. Phones are normalised to E.164 (numbers without + are read in the "
        "rooftop's country), emails lower-cased. A possible duplicate (same email, phone, or "
        "name and date of birth at the rooftop) answers 409 with the matching ids in "
        "`fields` (`duplicate_of`); send `allow_duplicate: true` to create anyway (audited). "
        "Send an `Idempotency-Key` header to make retries safe."
    ),
)
def create_customer(request: HttpRequest, payload: CustomerCreate) -> Any:
    rooftop = visible_or_404(Rooftop, request.user, payload.rooftop_id)
    data = _action_data(payload, {"rooftop_id", "consent_source", "allow_duplicate"})

    def run() -> tuple[int, Any, dict[str, str]]:
        try:
            customer = actions.create_customer(
                request.user,
                rooftop,
                data,
                consent_source=payload.consent_source,
                allow_duplicate=payload.allow_duplicate,
            )
        except actions.DuplicateCustomerError as duplicate:
            fields = [{"field": "duplicate_of", "message": str(m.pk)} for m in duplicate.matches]
            return 409, error_body(request, 409, duplicate.messages[0], fields), {}
        except ValidationError as error:
            raise as_api_error(error) from None
        body = orjson.loads(to_json_bytes(_detail(customer)))  # JSON values, for replays
        headers = {"ETag": customer.etag, "Location": f"/api/v1/customers/{customer.pk}"}
        return 201, body, headers

    return idempotent(request, run, subject=lambda body: subject_of(Customer, body["id"]))


@router.patch(
    "/customers/{customer_id}",
    response={200: CustomerOut, **error_responses(400, *CONDITIONAL_ERRORS)},
    summary="Update a customer (optimistic concurrency)",
    description=(
        'Send the version you read as `If-Match: "3"` (a stale one answers 412) or as the '
        "`version` field (a stale one answers 409). Consents change through "
        "POST /customers/{id}/consents, which records their source and history."
    ),
)
def update_customer(request: HttpRequest, customer_id: int, payload: CustomerUpdate) -> Any:
    customer = _visible(request, customer_id)
    version, mismatch = expected_version(request, payload.version)
    data = _action_data(payload, {"version"})
    updated = run_action(
        lambda: actions.update_customer(request.user, customer, data, expected_version=version),
        mismatch,
    )
    return _detail_response(updated)


@router.post(
    "/customers/{customer_id}/consents",
    response={201: ConsentOut, **error_responses(*WRITE_ERRORS)},
    summary="Record a consent given or withdrawn on a channel",
    description="The customer's current consent follows; the decision joins the history.",
)
def record_customer_consent(request: HttpRequest, customer_id: int, payload: ConsentIn) -> Any:
    customer = _visible(request, customer_id)
    row = run_action(
        lambda: actions.record_consent(
            request.user,
            customer,
            payload.channel,
            payload.granted,
            payload.source,
            payload.note,
        )
    )
    body = {
        "channel": row.channel,
        "granted": row.granted,
        "source": row.source,
        "recorded_at": row.recorded_at.isoformat(),
        "recorded_by": row.recorded_by.email if row.recorded_by else None,
        "note": row.note,
    }
    return json_response(body, 201)


@router.post(
    "/customers/{customer_id}/reveal",
    response={200: RevealOut, **error_responses(*WRITE_ERRORS)},
    summary="Reveal one sensitive identifier in full (audited)",
    description=(
        "For roles holding customers.reveal_customer (e.g. F&I Manager). Each call writes "
        "an audit entry and a log line naming the caller, the customer and the field."
    ),
)
def reveal_customer_field(request: HttpRequest, customer_id: int, payload: RevealIn) -> Any:
    customer = _visible(request, customer_id)
    value = reveal_field(request.user, customer, payload.field)
    shown = None if value in (None, "") else str(value)
    return json_response({"field": payload.field, "value": shown})


@router.post(
    "/customers/{customer_id}/merge",
    response={200: CustomerOut, **error_responses(*WRITE_ERRORS)},
    summary="Merge a duplicate into this customer",
    description=(
        "Every record pointing at the duplicate (consents, screenings, leads, activities, "
        "...) moves to this customer; blank fields here are filled from the duplicate; the "
        "duplicate stays as a pointer (merged_into). Needs customers.merge_customer."
    ),
)
def merge_customer(request: HttpRequest, customer_id: int, payload: MergeIn) -> Any:
    survivor = _visible(request, customer_id)
    duplicate = _visible(request, payload.duplicate_id)
    kept = run_action(lambda: actions.merge_customers(request.user, survivor, duplicate))
    return _detail_response(kept)
