"""The search box: models with digits ("RAV4", "F-150") and make-then-model text ("Ford
Focus") find their units, on the screen's path, the API's compiled path and the export."""

import pytest

from forecourt.accounts.roles import Role
from forecourt.core.testing import bearer
from forecourt.inventory import reads
from forecourt.inventory.imports.export import export_queryset
from forecourt.inventory.models import Vehicle
from forecourt.inventory.search import SearchTerm, VehicleFilters, search
from forecourt.inventory.tests.factories import receive

pytestmark = pytest.mark.django_db

MODELS = [
    ("Toyota", "RAV4"),
    ("Toyota", "RAV4"),
    ("Toyota", "RAV4"),
    ("Toyota", "Camry"),
    ("Ford", "F-150"),
    ("Ford", "Focus"),
    ("Mazda", "CX-5"),
    ("Chevrolet", "Silverado 1500"),
    ("BMW", "X5"),
]


@pytest.fixture
def lot(owner, rooftop):
    units = {
        f"{make} {model} {i}": receive(owner, rooftop, make=make, model=model)
        for i, (make, model) in enumerate(MODELS)
    }
    # A stock number that begins like a model: the stock number wins, as it always did.
    units["stock X5"] = receive(
        owner, rooftop, make="Honda", model="Accord", stock_number="X5-0042"
    )
    return units


def _everything(fetch, q, limit=2):
    """Every row of every page of the search for `q`, following next_cursor."""
    filters = VehicleFilters.from_query({"q": q, "sort": "list_price"})
    rows, cursor = [], ""
    for _ in range(20):
        page = fetch(filters, cursor, limit)
        rows += page.rows
        if not page.next_cursor:
            return rows
        cursor = page.next_cursor
    raise AssertionError("too many pages")


def _found(user, q):
    """(make, model) of each unit found, checked equal on the ORM and the compiled path."""
    plain = _everything(
        lambda f, c, n: search(Vehicle.objects.for_user(user, "view"), f, cursor=c, limit=n), q
    )
    compiled = _everything(lambda f, c, n: reads.list_page(user, f, cursor=c, limit=n), q)
    assert compiled == plain, q
    return sorted((row["make"], row["model"]) for row in plain)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("rav4", [("Toyota", "RAV4")] * 3),  # three units: two pages of two
        ("RAV", [("Toyota", "RAV4")] * 3),
        ("F-150", [("Ford", "F-150")]),
        ("cx-5", [("Mazda", "CX-5")]),
        ("Silverado 1500", [("Chevrolet", "Silverado 1500")]),
        ("silverado  15", [("Chevrolet", "Silverado 1500")]),
        ("Ford Focus", [("Ford", "Focus")]),
        ("ford f", [("Ford", "F-150"), ("Ford", "Focus")]),
        ("Toyota Camry", [("Toyota", "Camry")]),
        ("Toyota Corolla", []),
        ("X5", [("Honda", "Accord")]),  # stock number X5-0042, not the BMW X5
    ],
)
def test_models_with_digits_and_make_then_model_are_found(lot, make_user, rooftop, q, expected):
    user = make_user(Role.SALESPERSON, rooftops=[rooftop])
    assert _found(user, q) == expected


def test_stock_numbers_and_vin_tails_are_still_found_first(lot, make_user, rooftop):
    user = make_user(Role.SALESPERSON, rooftops=[rooftop])
    camry = lot["Toyota Camry 3"]
    assert _found(user, camry.vin[-8:]) == [("Toyota", "Camry")]
    assert _found(user, camry.stock_number) == [("Toyota", "Camry")]


def test_only_a_term_that_matched_nothing_is_read_as_a_model():
    assert SearchTerm.parse("RAV4").as_text() == SearchTerm("text", raw="RAV4")
    assert SearchTerm.parse("1HGCM82633A004352").as_text() is None  # a whole VIN
    assert SearchTerm.parse("Camry").as_text() is None  # words already search models
    words = SearchTerm.parse("  Ford   Focus ")
    assert (words.kind, words.raw, words.first, words.rest) == (
        "words",
        "Ford Focus",
        "Ford",
        "Focus",
    )


def test_the_export_reads_the_term_as_the_list_does(lot, make_user, rooftop):
    user = make_user(Role.SALES_MANAGER, rooftops=[rooftop])
    exported = export_queryset(user, VehicleFilters.from_query({"q": "rav4"}))
    assert sorted(exported.values_list("model", flat=True)) == ["RAV4"] * 3
    by_stock = export_queryset(user, VehicleFilters.from_query({"q": "X5"}))
    assert list(by_stock.values_list("stock_number", flat=True)) == ["X5-0042"]


def test_the_api_finds_a_model_with_digits(lot, client, token_for, make_user, rooftop):
    user = make_user(Role.SALESPERSON, rooftops=[rooftop])
    response = client.get("/api/v1/vehicles", {"q": "F-150"}, **bearer(token_for(user)))
    assert response.status_code == 200
    items = response.json()["items"]
    assert [(item["make"], item["model"]) for item in items] == [("Ford", "F-150")]
