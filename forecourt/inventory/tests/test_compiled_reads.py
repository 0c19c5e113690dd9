"""The API's hot reads run SQL compiled once per shape (forecourt/core/compiled.py): they
must return exactly what the plain ORM querysets return, for every shape and every user."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forecourt.accounts.auth import find_usable_token
from forecourt.accounts.models import ApiToken, hash_token
from forecourt.accounts.roles import Role
from forecourt.core.compiled import CompiledValues, NotCompilable, Samples
from forecourt.inventory import actions, reads
from forecourt.inventory.models import Vehicle
from forecourt.inventory.search import VehicleFilters, detail_rows, search
from forecourt.inventory.tests.factories import receive

pytestmark = pytest.mark.django_db

QUERIES = [
    {},
    {"status": "available", "make": "Toyota", "sort": "list_price"},
    {"status": "available", "sort": "-list_price", "price_min": "16000", "price_max": "30000"},
    {"make": "Toyota", "model": "Camry", "year_min": "2019", "year_max": "2023"},
    {"condition": "used", "mileage_max": "90000", "sort": "odometer"},
    {"sort": "-acquired_on", "published": "true"},
    {"sort": "stock_number", "status": ["available", "incoming"]},
    {"sort": "make"},
    {"sort": "year"},
    {"q": "Toy", "sort": "list_price"},
    {"days_max": "30"},  # an uncached shape takes the ORM path: the answers still agree
]


@pytest.fixture
def stock(owner, rooftop, other_rooftop):
    today = timezone.localdate()
    made = []
    for i in range(14):
        made.append(
            receive(
                owner,
                rooftop if i % 3 else other_rooftop,
                make="Toyota" if i % 2 else "Honda",
                model="Camry" if i % 4 == 1 else "Civic",
                year=2016 + i % 9,
                odometer=10_000 * i,
                list_price=Decimal(15000 + 1000 * (i % 5)),  # ties: keyset breaks them by id
                acquired_on=today - timedelta(days=5 * i),
            )
        )
    actions.add_cost(owner, made[1], kind="transport", amount="250.50")
    actions.change_status(owner, made[2], to_status="sold")
    return made


def _pages(fetch, query):
    """Every page of `query`, following next_cursor."""
    filters = VehicleFilters.from_query(query)
    seen, cursor = [], ""
    for _ in range(20):
        page = fetch(filters, cursor)
        seen.append(page.rows)
        if not page.next_cursor:
            return seen
        cursor = page.next_cursor
    raise AssertionError("too many pages")


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("role", [Role.SALESPERSON, Role.OWNER, Role.READ_ONLY])
def test_compiled_search_pages_equal_the_orm_pages(stock, make_user, rooftop, query, role):
    user = make_user(role, rooftops=[rooftop])
    compiled = _pages(lambda f, c: reads.list_page(user, f, cursor=c, limit=3), query)
    plain = _pages(
        lambda f, c: search(Vehicle.objects.for_user(user, "view"), f, cursor=c, limit=3), query
    )
    assert compiled == plain
    # The second run of each shape comes from the cache and still agrees.
    assert _pages(lambda f, c: reads.list_page(user, f, cursor=c, limit=3), query) == plain


def test_compiled_search_terms_equal_the_orm(stock, make_user, rooftop):
    user = make_user(Role.SALESPERSON, rooftops=[rooftop])
    vehicle = stock[4]
    terms = [
        vehicle.vin,
        vehicle.vin.lower(),
        vehicle.vin[-8:],
        vehicle.vin[-6:],
        vehicle.stock_number,
        vehicle.stock_number[:3],
        "hon",
        "Toy",
        "cam",
        "50%_x",  # LIKE wildcards in the term are literal characters
    ]
    for q in terms:
        compiled = _pages(lambda f, c: reads.list_page(user, f, cursor=c, limit=2), {"q": q})
        plain = _pages(
            lambda f, c: search(Vehicle.objects.for_user(user, "view"), f, cursor=c, limit=2),
            {"q": q},
        )
        assert compiled == plain, q
    found = reads.list_page(user, VehicleFilters.from_query({"q": vehicle.vin[-8:]}))
    assert [row["id"] for row in found.rows] == [vehicle.pk]
    # Every shape above compiled (none fell back to building its queryset per request).
    shapes = [k for k in CompiledValues._cache if k[0] == "inventory.search"]
    assert shapes
    assert [k for k in shapes if k[1] != "nobody" and CompiledValues._cache[k] is None] == []


def test_a_user_sees_only_their_rooftops_through_the_cache(
    stock, make_user, rooftop, other_rooftop
):
    here = make_user(Role.SALESPERSON, rooftops=[rooftop])
    there = make_user(Role.SALESPERSON, rooftops=[other_rooftop])
    filters = VehicleFilters.from_query({})
    mine = {row["rooftop_id"] for row in reads.list_page(here, filters, limit=100).rows}
    theirs = {row["rooftop_id"] for row in reads.list_page(there, filters, limit=100).rows}
    assert mine == {rooftop.pk}
    assert theirs == {other_rooftop.pk}


def test_no_permission_means_no_rows(stock, make_user, rooftop):
    nobody = make_user(Role.SALESPERSON, rooftops=[rooftop])
    nobody.is_active = False
    assert reads.list_page(nobody, VehicleFilters.from_query({})).rows == []
    assert reads.detail(nobody, pk=stock[1].pk) is None


@pytest.mark.parametrize("role", [Role.SALESPERSON, Role.OWNER])
def test_compiled_detail_equals_the_orm_row(stock, make_user, rooftop, other_rooftop, role):
    user = make_user(role, rooftops=[rooftop])
    for vehicle in stock:
        scoped = Vehicle.objects.for_user(user, "view")
        expected = detail_rows(scoped.filter(pk=vehicle.pk)).first()
        assert reads.detail(user, pk=vehicle.pk) == expected
        assert reads.detail(user, vin=vehicle.vin) == expected
        assert reads.is_visible(user, vehicle.pk) == (expected is not None)
    assert reads.detail(user, pk=10**9) is None
    added = reads.detail(user, pk=stock[1].pk)
    assert added is not None
    assert added["added_costs"] == Decimal("250.50")


def test_token_user_and_permissions_come_in_one_query(salesperson, token_for):
    raw = token_for(salesperson)
    with CaptureQueriesContext(connection) as captured:
        token = find_usable_token(raw)
        assert token is not None
        assert token.user == salesperson
        assert token.user.has_perm("inventory.view_vehicle")
        assert not token.user.has_perm("accounts.add_user")
    assert len(captured) == 1
    assert find_usable_token(raw + "x") is None


def test_a_revoked_or_expired_token_or_inactive_user_is_refused(salesperson, token_for):
    raw = token_for(salesperson)
    ApiToken.objects.filter(token_hash=hash_token(raw)).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert find_usable_token(raw) is None
    other = token_for(salesperson)
    salesperson.is_active = False
    salesperson.save(update_fields=["is_active"])
    assert find_usable_token(other) is None


def test_a_sample_that_does_not_reach_the_parameters_is_not_compiled():
    def build(samples: Samples):
        samples.text("unused")
        return Vehicle.objects.filter(make="Ford").values("id")

    samples = Samples()
    unused = build(samples)
    with pytest.raises(NotCompilable):
        CompiledValues(unused, samples)
    assert CompiledValues.for_shape(("test", "unused-sample"), build) is None
