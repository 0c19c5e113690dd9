"""Control characters in any text parameter are refused at the edge, named, never a 500
(issue 19, finding 3). Every route from the resolver and every API operation's parameters
and body fields are fuzzed with them, on the cookie lane and the token lane."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import orjson
import pytest
from django.test import Client

from forecourt.api import api
from forecourt.core.security.tests.routes import all_routes, values_for
from forecourt.core.security.tests.world import world as world_fixture
from forecourt.core.testing import bearer

world = world_fixture  # the fixture, under its own name for pytest

NUL = "\x00"
CONTROLS = ["\x00", "\x01", "\x1b", "\x7f"]
UI_QUERY_NAMES = ["q", "make", "model", "status", "sort", "cursor", "page", "next", "source"]


def _api_refused(response: Any, field: str, where: str) -> None:
    assert response.status_code == 422, (
        f"{where}: {response.status_code} {response.content[:300]!r}"
    )
    error = response.json()["error"]
    assert error["code"] == "validation_error", where
    assert field in [f["field"] for f in error["fields"]], f"{where}: {error['fields']}"


def _ui_refused(response: Any, field: str, where: str) -> None:
    assert response.status_code == 400, f"{where}: {response.status_code}"
    assert f"<strong>{field}</strong>" in response.content.decode(), where


# --- the assessment's examples ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/vehicles?q=%00", "q"),
        ("/api/v1/vehicles?make=%00", "make"),
        ("/api/v1/vehicles/by-vin/%00", "vin"),
        ("/api/v1/vin-decode/%00", "vin"),
        ("/api/v1/customers?q=%00", "q"),
        ("/api/v1/leads?q=%00", "q"),
    ],
)
def test_the_reported_api_cases_are_422_on_both_lanes(world, client_for, token_for, path, field):
    token_lane = Client().get(path, **bearer(token_for(world.owner)))
    _api_refused(token_lane, field, f"token lane {path}")
    cookie_lane = client_for(world.owner).get(path)
    _api_refused(cookie_lane, field, f"cookie lane {path}")


@pytest.mark.parametrize(
    "path", ["/inventory/?q=%00", "/inventory/?make=%00", "/customers/?q=%00", "/leads/?q=%00"]
)
def test_the_ui_search_boxes_answer_400_naming_the_field(world, client_for, path):
    response = client_for(world.owner).get(path)
    _ui_refused(response, path.split("?")[1].split("=")[0], path)


def test_form_fields_are_checked_and_multi_line_text_is_not_refused(world, client_for):
    client = client_for(world.owner)
    refused = client.post("/accounts/login/", {"username": "a\x00@x.test", "password": "x"})
    _ui_refused(refused, "username", "login form")
    # Tab and line breaks are text; they reach the form (which answers as usual).
    ok = client.post("/accounts/login/", {"username": "a@x.test", "password": "x\ty\r\nz"})
    assert ok.status_code != 400


def test_json_bodies_are_checked_at_any_depth(world, token_for):
    token = bearer(token_for(world.owner))
    body = {"rooftop_id": world.rooftop.pk, "first_name": "Ana", "last_name": "Li\u0000"}
    response = Client().post(
        "/api/v1/customers", orjson.dumps(body), content_type="application/json", **token
    )
    _api_refused(response, "last_name", "POST /customers")
    nested = {"a": [{"b": "x\u001by"}]}
    response = Client().post(
        "/api/v1/customers", orjson.dumps(nested), content_type="application/json", **token
    )
    _api_refused(response, "a.0.b", "nested")
    raw = b'{"first_name": "A\x00"}'
    response = Client().post("/api/v1/customers", raw, content_type="application/json", **token)
    _api_refused(response, "body", "raw NUL")
    fine = {
        "rooftop_id": world.rooftop.pk,
        "first_name": "Ana",
        "last_name": "Li",
        "email": "ana.li@example.com",
        "notes": "a\nb\tc",
    }
    response = Client().post(
        "/api/v1/customers", orjson.dumps(fine), content_type="application/json", **token
    )
    assert response.status_code == 201, response.content


# --- every route, every parameter ------------------------------------------------------------


def _with(template_values: dict[str, Any], name: str, value: str) -> dict[str, Any]:
    return {**template_values, name: quote(value, safe="")}


def test_every_path_parameter_of_every_route(world, client_for, token_for):
    cookie = client_for(world.owner)
    token = bearer(token_for(world.owner))
    checked = 0
    for route in all_routes():
        values = values_for(route, world.rooftop)
        for name, converter in route.params:
            path = route.fill(_with(values, name, f"a{NUL}b"))
            # A NUL matches str and path converters, so the route resolves and the parameter
            # is named; int and slug converters refuse it: no route, the path is named.
            expected = name if converter in {"str", "path"} else "path"
            if route.is_api:
                _api_refused(Client().get(path, **token), expected, f"token {path}")
                _api_refused(cookie.get(path), expected, f"cookie {path}")
                _api_refused(cookie.post(path, {}), expected, f"cookie POST {path}")
            else:
                _ui_refused(cookie.get(path), expected, path)
                _ui_refused(cookie.post(path, {}), expected, f"POST {path}")
            checked += 1
    assert checked > 30


def test_every_query_parameter_of_every_api_operation(world, client_for, token_for):
    schema = api.get_openapi_schema()
    token = bearer(token_for(world.owner))
    cookie = client_for(world.owner)
    checked = 0
    for template, path_item in schema["paths"].items():
        # The query is refused before the route matters: placeholders may stay unfilled.
        base = template.replace("{", "").replace("}", "")
        for operation in path_item.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "query":
                    continue
                name = parameter["name"]
                for control in CONTROLS:
                    path = f"{base}?{name}={quote('x' + control, safe='')}"
                    _api_refused(Client().get(path, **token), name, f"token {path}")
                    _api_refused(cookie.get(path), name, f"cookie {path}")
                checked += 1
    assert checked > 10


def test_every_string_field_of_every_api_body(world, token_for):
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    token = bearer(token_for(world.owner, scopes=("read", "write", "tokens:create")))
    checked = 0
    for path, path_item in schema["paths"].items():
        for method, operation in path_item.items():
            content = operation.get("requestBody", {}).get("content", {})
            ref = content.get("application/json", {}).get("schema", {}).get("$ref")
            if ref is None:
                continue
            properties = components[ref.rsplit("/", 1)[1]].get("properties", {})
            url = path.replace("{", "").replace("}", "")
            for name in properties:
                body = orjson.dumps({name: f"x{NUL}"})
                response = getattr(Client(), method)(
                    url, body, content_type="application/json", **token
                )
                _api_refused(response, name, f"{method.upper()} {path} {name}")
                checked += 1
    assert checked > 20


def test_every_ui_route_with_common_query_names(world, client_for):
    client = client_for(world.owner)
    for route in all_routes():
        if route.is_api:
            continue
        base = route.fill(values_for(route, world.rooftop))
        for name in UI_QUERY_NAMES:
            _ui_refused(client.get(f"{base}?{name}=%00"), name, f"{base}?{name}")
