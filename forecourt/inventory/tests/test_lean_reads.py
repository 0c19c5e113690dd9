"""The token lane's lean reads (inventory/api.py, forecourt/core/lanes.py) answer exactly as
the documented ninja operations do, and hand those operations every request but the plain
case.

Each request goes through the production WSGI application twice: as a bearer request with
no cookie (the token lane, where the lean view stands in front of the operation) and with
an unrelated cookie (the full lane, which only knows the ninja operation).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

# Imported now, not at the first request: its Django set-up configures logging, which would
# drop the handler caplog attached in the middle of a test.
from forecourt import wsgi  # noqa: F401
from forecourt.accounts.roles import Role
from forecourt.core import lanes
from forecourt.core.testing import wsgi_call
from forecourt.inventory.tests.factories import receive

# Headers that differ per response whatever the lane, and Vary, which names Cookie on the
# full lane (its session middleware reads the cookie) and not on the token lane.
PER_RESPONSE = {"x-request-id", "vary"}


@pytest.fixture
def handed_over(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths the lean views handed to the documented operation."""
    seen: list[str] = []
    original = lanes.documented_operation

    def spy(request: Any) -> Any:
        seen.append(request.get_full_path())
        return original(request)

    monkeypatch.setattr("forecourt.inventory.api.documented_operation", spy)
    return seen


@pytest.fixture
def stock(make_user, rooftop, other_rooftop):
    manager = make_user(Role.SALES_MANAGER, rooftops=[rooftop, other_rooftop])
    ours = [
        receive(manager, rooftop, make="Toyota", list_price=Decimal(price))
        for price in ("18995.00", "21995.50", "24995.00")
    ]
    theirs = receive(manager, other_rooftop, make="Toyota", list_price=Decimal("19995.00"))
    return ours, theirs


@pytest.fixture
def reader(make_user, rooftop, token_for):
    return token_for(make_user(Role.SALESPERSON, rooftops=[rooftop]))


def both_lanes(path: str, token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    bearer = {"Authorization": f"Bearer {token}"}
    lean = wsgi_call(path, bearer)
    documented = wsgi_call(path, {**bearer, "Cookie": "unrelated=1"})
    return lean, documented


def _body(answer: dict[str, Any]) -> Any:
    body = orjson.loads(answer["body"])
    if "error" in body:
        body["error"].pop("request_id")  # each request's own
    return body


def assert_same_answer(lean: dict[str, Any], documented: dict[str, Any]) -> None:
    assert lean["status"] == documented["status"]
    assert _body(lean) == _body(documented)
    assert set(lean["headers"]) == set(documented["headers"])
    for name in set(lean["headers"]) - PER_RESPONSE:
        assert lean["headers"][name] == documented["headers"][name], name


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "",
        "?status=available&make=Toyota&sort=list_price&limit=2",
        "?status=available&status=on_hold&sort=-list_price",
        "?price_min=19000&price_max=25000.50&year_min=2019&published=false",
        "?q=Toy&sort=make",
        "?rooftop=999999",
    ],
)
def test_plain_searches_are_answered_by_the_lean_view_alike(stock, reader, query, handed_over):
    lean, documented = both_lanes(f"/api/v1/vehicles{query}", reader)
    assert lean["status"] == 200
    assert_same_answer(lean, documented)
    assert handed_over == []


@pytest.mark.django_db
def test_the_next_page_follows_the_cursor_alike(stock, reader, handed_over):
    first, _ = both_lanes("/api/v1/vehicles?sort=list_price&limit=1", reader)
    page = orjson.loads(first["body"])
    assert page["has_next"]
    assert [v["list_price"] for v in page["items"]] == ["18995.00"]
    lean, documented = both_lanes(
        f"/api/v1/vehicles?sort=list_price&limit=1&cursor={page['next_cursor']}", reader
    )
    assert_same_answer(lean, documented)
    assert [v["list_price"] for v in orjson.loads(lean["body"])["items"]] == ["21995.50"]
    assert handed_over == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "?year_min=abc",  # ninja's 422
        "?year_min=",  # empty: ninja refuses it, the screen's parser would ignore it
        "?published=yes",  # pydantic reads "yes"; the plain check does not
        "?status=sold-ish",  # unknown status
        "?limit=0",
        "?limit=500",
        "?sort=colour",  # from_query's 422
        "?cursor=not-a-cursor",
        "?make=Toyota&make=Honda",  # a repeated single-value parameter
        "?colour=red",  # unknown parameter
        "?year_min=99999999999999999999",  # beyond any column's range
        "?days_min=999999999",  # plain digits, but beyond the date arithmetic
    ],
)
def test_anything_but_the_plain_case_is_the_documented_operations_answer(
    stock, reader, query, handed_over
):
    lean, documented = both_lanes(f"/api/v1/vehicles{query}", reader)
    assert_same_answer(lean, documented)
    assert handed_over == [f"/api/v1/vehicles{query}"]


@pytest.mark.django_db
def test_a_bad_token_or_a_token_without_read_scope_is_answered_by_the_operation(
    stock, make_user, rooftop, token_for, handed_over
):
    lean, documented = both_lanes("/api/v1/vehicles", "fc_not-a-token")
    assert lean["status"] == 401
    assert_same_answer(lean, documented)
    write_only = token_for(make_user(Role.SALESPERSON, rooftops=[rooftop]), scopes=("write",))
    lean, documented = both_lanes("/api/v1/vehicles", write_only)
    assert lean["status"] == 403
    assert_same_answer(lean, documented)
    assert handed_over == ["/api/v1/vehicles", "/api/v1/vehicles"]


@pytest.mark.django_db
def test_details_by_id_and_vin_are_answered_alike(stock, reader, handed_over):
    ours, theirs = stock
    for path in (f"/api/v1/vehicles/{ours[1].pk}", f"/api/v1/vehicles/by-vin/{ours[1].vin}"):
        lean, documented = both_lanes(path, reader)
        assert lean["status"] == 200
        assert lean["headers"]["etag"] == f'"{ours[1].version}"'
        assert orjson.loads(lean["body"])["list_price"] == "21995.50"
        assert_same_answer(lean, documented)
    assert handed_over == []
    # Another rooftop's vehicle, a missing one, a lower-case VIN: the operation answers.
    for path in (
        f"/api/v1/vehicles/{theirs.pk}",
        "/api/v1/vehicles/999999999",
        f"/api/v1/vehicles/{2**64}",
        f"/api/v1/vehicles/by-vin/{theirs.vin}",
    ):
        lean, documented = both_lanes(path, reader)
        assert lean["status"] in (404, 422), path
        assert_same_answer(lean, documented)
    assert len(handed_over) == 4
    lean, documented = both_lanes(f"/api/v1/vehicles/by-vin/{ours[0].vin.lower()}", reader)
    assert lean["status"] == 200
    assert_same_answer(lean, documented)


@pytest.mark.django_db
def test_lean_reads_are_logged_under_the_operations_route_name(stock, reader, caplog):
    caplog.set_level("INFO", logger="forecourt.request")
    wsgi_call("/api/v1/vehicles?limit=1", {"Authorization": f"Bearer {reader}"})
    logged = [r.msg for r in caplog.records if r.name == "forecourt.request"][-1]
    assert logged["route"] == "api:list_vehicles"
    assert logged["status"] == 200
    assert logged["db_queries"] == 3  # token, its first use recorded, the page


@pytest.mark.django_db
def test_lean_reads_make_two_queries_each(stock, reader, handed_over):
    """The production path's query count (test_api.py pins the ninja operations'): the token
    with its user and permissions, then the page or the row."""
    ours, _ = stock
    bearer = {"Authorization": f"Bearer {reader}"}
    wsgi_call("/api/v1/vehicles/999999999", bearer)  # first use records last_used_at
    for path in (
        "/api/v1/vehicles?status=available&make=Toyota&sort=list_price&limit=2",
        f"/api/v1/vehicles/{ours[0].pk}",
        f"/api/v1/vehicles/by-vin/{ours[0].vin}",
    ):
        with CaptureQueriesContext(connection) as queries:
            assert wsgi_call(path, bearer)["status"] == 200
        assert len(queries) == 2, (path, [q["sql"] for q in queries])
    assert handed_over == ["/api/v1/vehicles/999999999"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["year_min=99999999999999999999", "mileage_max=1000000001", "rooftop=10000000000",
     "days_min=36501", "price_max=99999999999999"],
)  # fmt: skip
def test_numbers_beyond_any_real_value_are_a_422_naming_the_field(stock, reader, query):
    """Larger integers overflow the database driver (and days the date arithmetic): without
    the bound they were a 500."""
    answer = wsgi_call(f"/api/v1/vehicles?{query}", {"Authorization": f"Bearer {reader}"})
    assert answer["status"] == 422
    [field] = orjson.loads(answer["body"])["error"]["fields"]
    assert field["field"] == query.split("=")[0]
    assert field["message"].startswith("Must be at most")
