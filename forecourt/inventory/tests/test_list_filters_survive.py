"""Every filter of the inventory list survives every page, every sort link and the export
links (one mechanism: core.list_urls.ListQuery). "Status: Any" stays "Any" on page 2
instead of falling back to the front-line default (available)."""

from __future__ import annotations

import re
from dataclasses import fields
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from forecourt.inventory.actions import change_status
from forecourt.inventory.search import DEFAULT_LIMIT, VehicleFilters
from forecourt.inventory.tests.factories import receive

pytestmark = pytest.mark.django_db

LINK = re.compile(r'href="([^"]*)"')


def links(html: str, marker: str) -> list[str]:
    return [unescape(url) for url in LINK.findall(html) if marker in url]


def params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def every_filter(rooftop) -> dict[str, str]:
    """A value for every filter of the list (the test fails when a filter is added and not
    listed here, so a new filter is tested too)."""
    values = {
        "q": "Honda",
        "rooftop": str(rooftop.pk),
        "status": "available",
        "condition": "used",
        "make": "Honda",
        "model": "Accord",
        "year_min": "2019",
        "year_max": "2021",
        "price_min": "19000",
        "price_max": "21000",
        "mileage_min": "40000",
        "mileage_max": "45000",
        "days_min": "0",
        "days_max": "5",
        "published": "true",
    }
    assert set(values) | {"sort"} == {f.name for f in fields(VehicleFilters)}
    return values


def test_every_filter_survives_paging_sorting_and_export(client_for, owner, rooftop):
    for _ in range(DEFAULT_LIMIT + 2):
        receive(owner, rooftop, is_published=True, condition="used")
    client = client_for(owner)
    chosen = {**every_filter(rooftop), "sort": "year"}
    page_one = client.get("/inventory/", chosen).content.decode()
    [next_url] = links(page_one, "cursor=")
    sorts = links(page_one, "sort=")
    exports = links(page_one, "/inventory/export.")
    assert len(sorts) >= 6
    assert len(exports) == 2
    for url in [next_url, *sorts, *exports]:
        got = params(url)
        for name, value in every_filter(rooftop).items():
            assert got.get(name) == [value], f"{name} lost in {url}"
    assert params(next_url)["sort"] == ["year"]
    page_two = client.get(next_url).content.decode()
    assert page_two.count('name="ids"') == 2  # the rest of the 27 matching units
    # "First page": the same filters and sort, no cursor (the column links change the sort).
    [first_url] = [u for u in links(page_two, "/inventory/?") if params(u).get("sort") == ["year"]]
    for name, value in chosen.items():
        assert params(first_url)[name] == [value]


def test_status_any_stays_any_on_the_next_page_and_after_a_sort(client_for, owner, rooftop):
    vehicles = [receive(owner, rooftop) for _ in range(DEFAULT_LIMIT + 3)]
    for vehicle in vehicles[:3]:
        change_status(owner, vehicle, to_status="sold", reason="deal")
    client = client_for(owner)
    page_one = client.get("/inventory/", {"status": ""}).content.decode()
    [next_url] = links(page_one, "cursor=")
    assert params(next_url)["status"] == [""]
    for url in links(page_one, "sort="):
        assert params(url)["status"] == [""]
    page_two = client.get(next_url).content.decode()
    assert page_two.count('name="ids"') == 3  # 28 units in all: sold ones included
    assert "Sold" in page_two
    # The default (no status parameter at all) still shows the front line only.
    default = client.get("/inventory/").content.decode()
    assert not links(default, "cursor=")
    assert "status=" not in " ".join(links(default, "sort="))
