"""Finding customers: the one place the list's search, filters and keyset pages live.

The screen and the API both call `search()`, so a bookmarked URL and an API query mean the
same thing. What the search box understands (`q`):

- an email address: exact match on email or alternate email (both stored lower-cased);
- a phone number in any format: normalised to E.164 like the stored numbers, then matched
  against mobile, home and work phone;
- four digits: the last 4 of the SSN, through the `ssn_last4_index` blind index (a keyed
  hash, so the table is never decrypted), and only for roles that may reveal customer
  identifiers: others could learn nothing more than the mask shows, but SSN look-ups are
  F&I work and we keep them there;
- anything else: a case-insensitive prefix of the first, last or business name
  ("ana di" matches Ana Diaz).

Pages are keyset pages ordered by (last name, first name, id): page 500 costs what page 1
costs, nothing COUNTs. Sensitive fields are never among the columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from forecourt.core import keyset
from forecourt.core.global_search import Hit
from forecourt.core.security.fields import BlindIndexField
from forecourt.customers.consent import CONSENT_FIELDS
from forecourt.customers.contact import normalize_email, try_normalize_phone
from forecourt.customers.models import Customer, Language

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
SORTS = ("name", "-last_activity_at")
DEFAULT_SORT = "name"
LIST_COLUMNS = (
    "id",
    "rooftop_id",
    "kind",
    "first_name",
    "last_name",
    "business_name",
    "email",
    "mobile_phone",
    "home_phone",
    "work_phone",
    "city",
    "preferred_language",
    "consent_call",
    "consent_sms",
    "consent_email",
    "tags",
    "assigned_salesperson_id",
    "last_activity_at",
    "version",
)
_NAME_KEY = ("last_name", "first_name", "id")
_SSN_LAST4 = re.compile(r"^\d{4}$")
_PHONE_LIKE = re.compile(r"^[\d\s().+-]{7,}$")


class BadQuery(ValueError):
    """A filter or cursor the caller sent cannot be understood."""

    def __init__(self, field_name: str, message: str) -> None:
        self.field_name = field_name
        super().__init__(message)


@dataclass
class CustomerFilters:
    q: str = ""
    rooftop: int | None = None
    salesperson: int | None = None
    tag: str = ""
    language: str = ""
    consent: str = ""
    sort: str = DEFAULT_SORT

    @classmethod
    def from_query(cls, params: Any) -> CustomerFilters:
        """From a QueryDict (UI) or a dict; bad values raise BadQuery naming the field."""

        def text(name: str) -> str:
            return str(params.get(name) or "").strip()

        def number(name: str) -> int | None:
            raw = text(name)
            if not raw:
                return None
            if not raw.isdigit():
                raise BadQuery(name, "Enter an id.")
            return int(raw)

        language = text("language")
        if language and language not in Language.values:
            raise BadQuery("language", f"One of {', '.join(Language.values)}.")
        consent = text("consent")
        if consent and consent not in CONSENT_FIELDS:
            raise BadQuery("consent", "One of call, sms, email.")
        sort = text("sort") or DEFAULT_SORT
        if sort not in SORTS:
            raise BadQuery("sort", f"Sort by one of {', '.join(SORTS)}.")
        return cls(
            q=text("q")[:100],
            rooftop=number("rooftop"),
            salesperson=number("salesperson"),
            tag=text("tag").lower()[:40],
            language=language,
            consent=consent,
            sort=sort,
        )

    def as_query(self) -> dict[str, Any]:
        """The non-empty filters, for building bookmarkable URLs."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if getattr(self, f.name) not in (None, "")
            and not (f.name == "sort" and getattr(self, f.name) == DEFAULT_SORT)
        }


def _name_match(q: str) -> Q:
    words = q.split()
    if len(words) == 1:
        word = words[0]
        return (
            Q(last_name__istartswith=word)
            | Q(first_name__istartswith=word)
            | Q(business_name__istartswith=word)
        )
    first, last = words[0], words[-1]
    return (
        Q(first_name__istartswith=first, last_name__istartswith=last)
        | Q(last_name__istartswith=first, first_name__istartswith=last)
        | Q(business_name__istartswith=q)
    )


def search_term(q: str, *, country: str = "US", may_search_ssn: bool = False) -> Q:
    """The condition for what was typed in the search box (see the module docstring)."""
    q = q.strip()
    if "@" in q:
        try:
            email = normalize_email(q)
        except ValidationError:
            return Q(pk__in=[])
        return Q(email=email) | Q(alt_email=email)
    if _SSN_LAST4.match(q):
        if not may_search_ssn:
            return Q(pk__in=[])
        wanted = BlindIndexField.lookup_value(Customer, "ssn_last4_index", q)
        return Q(ssn_last4_index=wanted)
    if _PHONE_LIKE.match(q):
        phone = try_normalize_phone(q, country)
        if phone is None:
            return Q(pk__in=[])
        return Q(mobile_phone=phone) | Q(home_phone=phone) | Q(work_phone=phone)
    return _name_match(q)


def _has_tag(tag: str) -> Q:
    if connection.vendor == "postgresql":
        return Q(tags__contains=[tag])  # jsonb @>, served by the GIN index customer_tags
    # SQLite has no JSON containment: match the quoted element in the JSON text.
    return Q(tags__icontains=f'"{tag}"')


def filtered(
    queryset: QuerySet[Customer],
    f: CustomerFilters,
    *,
    country: str = "US",
    may_search_ssn: bool = False,
) -> QuerySet[Customer]:
    qs = queryset.filter(merged_into__isnull=True)
    if f.q:
        qs = qs.filter(search_term(f.q, country=country, may_search_ssn=may_search_ssn))
    if f.rooftop is not None:
        qs = qs.filter(rooftop_id=f.rooftop)
    if f.salesperson is not None:
        qs = qs.filter(assigned_salesperson_id=f.salesperson)
    if f.tag:
        qs = qs.filter(_has_tag(f.tag))
    if f.language:
        qs = qs.filter(preferred_language=f.language)
    if f.consent:
        qs = qs.filter(**{CONSENT_FIELDS[f.consent]: True})
    return qs


def _after_name(value: Any, pk: int) -> Q:
    """Rows after (last name, first name, id) in the list's order: a row-value comparison,
    the start key of the (rooftop, last_name, first_name, id) index. The redundant bound
    keeps other plans tight."""
    last, first = value
    return Q(last_name__gte=last) & keyset.row_after(Customer, _NAME_KEY, (last, first, pk))


def _decode(cursor: str, sort: str) -> tuple[Any, int]:
    try:
        if sort == "name":
            return keyset.decode_cursor(cursor, sort, lambda v: (str(v[0]), str(v[1])))
        return keyset.decode_cursor(cursor, sort, lambda v: parse_datetime(str(v)))
    except (keyset.BadCursor, IndexError, TypeError):
        raise BadQuery("cursor", "This cursor is not valid; start from the first page.") from None


@dataclass
class Page:
    rows: list[dict[str, Any]]
    next_cursor: str | None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


def _is_name_query(q: str) -> bool:
    q = q.strip()
    return bool(q) and "@" not in q and not _SSN_LAST4.match(q) and not _PHONE_LIKE.match(q)


def _order(f: CustomerFilters) -> list[Any]:
    if f.sort != "name":
        return ["-last_activity_at", "-id"]
    if _is_name_query(f.q):
        # The same order written as an expression: PostgreSQL then collects the matches
        # from the prefix indexes and sorts them, instead of walking the rooftop's rows in
        # name order and filtering (slow for a prefix that sorts late: docs/customers.md).
        return [Concat(F("last_name"), Value("")), "first_name", "id"]
    return ["last_name", "first_name", "id"]


def page_queryset(
    queryset: QuerySet[Customer],
    f: CustomerFilters,
    *,
    cursor: str = "",
    limit: int = DEFAULT_LIMIT,
    country: str = "US",
    may_search_ssn: bool = False,
) -> QuerySet[Customer, dict[str, Any]]:
    """The one query of a page: limit + 1 rows of LIST_COLUMNS after the cursor."""
    qs = filtered(queryset, f, country=country, may_search_ssn=may_search_ssn)
    if cursor and f.sort == "name":
        qs = qs.filter(_after_name(*_decode(cursor, f.sort)))
    elif cursor:
        value, pk = _decode(cursor, f.sort)
        qs = qs.filter(keyset.after(Customer, "last_activity_at", True, value, pk))
    return qs.order_by(*_order(f)).values(*LIST_COLUMNS)[: limit + 1]


def search(
    queryset: QuerySet[Customer],
    f: CustomerFilters,
    *,
    cursor: str = "",
    limit: int = DEFAULT_LIMIT,
    country: str = "US",
    may_search_ssn: bool = False,
) -> Page:
    """One page of list rows (dicts of LIST_COLUMNS), in one query."""
    limit = max(1, min(limit, MAX_LIMIT))
    rows = list(
        page_queryset(
            queryset, f, cursor=cursor, limit=limit, country=country, may_search_ssn=may_search_ssn
        )
    )
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        value = (
            [last["last_name"], last["first_name"]]
            if f.sort == "name"
            else last["last_activity_at"].isoformat()
        )
        next_cursor = keyset.encode_cursor(f.sort, value, last["id"])
    return Page(rows, next_cursor)


def display_name(row: dict[str, Any]) -> str:
    """A list row's name, as Customer.display_name says it."""
    if row["kind"] == "business" and row["business_name"]:
        return str(row["business_name"])
    name = " ".join(p for p in (row["first_name"], row["last_name"]) if p)
    return name or row["business_name"] or f"Customer {row['id']}"


def find_for_header(user: Any, q: str, limit: int) -> list[Hit]:
    """The header search's customers (core/global_search.py): name, phone or email among
    the customers this user may see; a phone is read in the country of the user's first
    rooftop, as the customer list does for a single rooftop."""
    rooftop = user.rooftops.order_by("pk").first()
    page = search(
        Customer.objects.for_user(user, "view"),
        CustomerFilters(q=q),
        limit=limit,
        country=rooftop.country if rooftop else "US",
    )
    return [
        Hit(
            label=display_name(row),
            url=reverse("customers:customer-detail", args=[row["id"]]),
            detail=" · ".join(
                value
                for value in (row["mobile_phone"] or row["home_phone"], row["email"], row["city"])
                if value
            ),
        )
        for row in page.rows
    ]
