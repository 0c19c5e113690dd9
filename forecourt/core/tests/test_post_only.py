"""POST-only URLs: a GET (a reload after a failed form, a bookmark) is redirected to the
page the form belongs to instead of a bare 405; a failed htmx form keeps the page's URL."""

from __future__ import annotations

from django.urls import resolve

from forecourt.core.post_only import page_of
from forecourt.core.security.tests.routes import MISSING_ID, all_routes, values_for
from forecourt.core.security.tests.world import world as world_fixture

world = world_fixture  # the fixture, under its own name for pytest


def test_page_of_is_the_nearest_parent_page():
    assert page_of("/inventory/186/hold/") == "/inventory/186/"
    assert page_of("/") == "/"


def test_a_get_on_every_post_only_url_redirects_to_its_page(world, client_for):
    client = client_for(world.owner)
    checked = []
    for route in all_routes():
        path = route.fill(values_for(route, world.rooftop))
        if route.is_api or not getattr(resolve(path).func, "post_only", False):
            continue
        response = client.get(path)
        assert response.status_code == 302, f"GET {path}: {response.status_code}"
        assert response["Location"] == page_of(path)
        landed = client.get(response["Location"], follow=True)
        # A route whose id names no test object lands on that object's page: a 404.
        expected = {200, 404} if str(MISSING_ID) in response["Location"] else {200}
        assert landed.status_code in expected, f"GET {path} -> {response['Location']}"
        assert client.put(path).status_code == 405
        checked.append(path)
    assert len(checked) > 20
    hold = f"/inventory/{values_for_vehicle(world)}/hold/"
    assert client.get(hold)["Location"] == f"/inventory/{values_for_vehicle(world)}/"
    assert client.get(hold, follow=True).status_code == 200


def values_for_vehicle(world) -> int:
    from django.apps import apps

    return apps.get_model("inventory.Vehicle").objects.filter(rooftop=world.rooftop).first().pk


def test_a_failed_htmx_form_keeps_the_page_url(world, client_for):
    client = client_for(world.owner)
    vehicle = values_for_vehicle(world)
    response = client.post(
        f"/inventory/{vehicle}/hold/", {"deal_reference": ""}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200  # htmx swaps 2xx only: the errors show in place
    assert response["HX-Push-Url"] == "false"
    assert "This field is required" in response.content.decode()
    plain = client.post(f"/inventory/{vehicle}/hold/", {"deal_reference": ""})
    assert plain.status_code == 422
