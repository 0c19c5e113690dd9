"""The vehicle page and list as a salesperson reads them (issue 18): empty values shown one
way, every price named, photos in the list, and vehicles found from the header search."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from forecourt.accounts.roles import Role
from forecourt.inventory import actions
from forecourt.inventory.tests.factories import receive

# What pages printed for values nobody recorded before there was one way to show them.
EMPTY_VALUE_LEAKS = ("None", "- . -", "- / -", "<dd>-</dd>", "<td>-</td>", " · -<", "-<br>")


def jpeg() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "navy").save(out, "JPEG")
    out.seek(0)
    return out


def visible_text(html: str) -> str:
    body = html[html.index("<main") :]
    return re.sub(r"<[^>]+>", " ", body)


def test_empty_fields_show_the_blank_mark_never_none_or_dashes(client_for, salesperson, rooftop):
    vehicle = receive(salesperson, rooftop, engine="", body_style="", exterior_color="")
    html = client_for(salesperson).get(f"/inventory/{vehicle.pk}/").content.decode()
    main = html[html.index("<main") :]
    for leak in EMPTY_VALUE_LEAKS:
        assert leak not in main, leak
    assert not re.search(r"\bNone\b", visible_text(html))
    assert re.search(r"<dt>Engine</dt><dd><span class=\"blank\"", main)
    assert "<dt>Title</dt><dd>Clear, no brand</dd>" in main


def test_every_price_on_the_vehicle_page_is_named(client_for, salesperson, rooftop):
    vehicle = receive(salesperson, rooftop, list_price="21000", internet_price="20500")
    html = client_for(salesperson).get(f"/inventory/{vehicle.pk}/").content.decode()
    assert re.search(
        r'Internet price</p>\s*<p class="price-main" id="internet-price">\$20,500', html
    )
    assert '<dt>List price</dt><dd id="list-price">$21,000.00</dd>' in html
    plain = receive(salesperson, rooftop, list_price="19000")
    html = client_for(salesperson).get(f"/inventory/{plain.pk}/").content.decode()
    assert re.search(r'List price</p>\s*<p class="price-main">\$19,000', html)


@pytest.mark.usefixtures("media_root")
def test_the_list_shows_each_vehicles_cover_photo(client_for, manager, rooftop):
    with_photo = receive(manager, rooftop)
    photo = actions.add_photo(manager, with_photo, jpeg())
    without = receive(manager, rooftop)
    html = client_for(manager).get("/inventory/").content.decode()
    assert f'<img class="thumb" src="/inventory/photos/{photo.pk}/thumb/"' in html
    row = html[html.index(f'value="{without.pk}"') :]
    assert row.index("No photo") < row.index("</tr>")
    page = client_for(manager).get(f"/inventory/{with_photo.pk}/").content.decode()
    assert re.search(rf'<div class="hero-photo">\s*<img src="[^"]*/{photo.pk}/full', page)


def test_header_search_finds_vehicles_by_stock_number_or_vin_in_the_users_rooftops(
    client_for, make_user, rooftop, other_rooftop
):
    seller = make_user(Role.SALESPERSON)
    mine = receive(seller, rooftop, make="Mazda", model="CX-5")
    outsider = make_user(Role.SALESPERSON, rooftops=[other_rooftop])
    theirs = receive(outsider, other_rooftop, make="Mazda", model="CX-5")
    client = client_for(seller)
    by_stock = client.get("/search/", {"q": mine.stock_number}).content.decode()
    assert f'href="/inventory/{mine.pk}/"' in by_stock
    by_vin_tail = client.get("/search/", {"q": mine.vin[-8:]}).content.decode()
    assert f'href="/inventory/{mine.pk}/"' in by_vin_tail
    by_model = client.get("/search/", {"q": "Mazda CX-5"}).content.decode()
    assert f'href="/inventory/{mine.pk}/"' in by_model
    assert f'href="/inventory/{theirs.pk}/"' not in by_model
    assert (
        f"/inventory/{theirs.pk}/" not in client.get("/search/", {"q": theirs.vin}).content.decode()
    )
