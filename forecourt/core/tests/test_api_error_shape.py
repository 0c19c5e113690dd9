"""Every response under /api/ is JSON in the one error shape (issue 19, finding 8).

Walks every operation of the OpenAPI document through its error cases: anonymous (401, on the
cookie lane too, never a CSRF 403), a method the path does not serve (405), an id nobody has
(404), a malformed body (400/422), a token without the needed scope (403), and unknown paths.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from forecourt.api import api
from forecourt.core.testing import bearer

pytestmark = pytest.mark.django_db

API = "/api/v1"
METHODS = {"get", "post", "put", "patch", "delete"}
MISSING_ID = 987654321
_PARAM = re.compile(r"{([^}]+)}")


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    schema = api.get_openapi_schema()
    return [
        (method, path.removeprefix(API), operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def _fill(path: str, operation: dict[str, Any]) -> str:
    kinds = {
        p["name"]: p.get("schema", {}).get("type", "string")
        for p in operation.get("parameters", [])
        if p["in"] == "path"
    }
    return _PARAM.sub(
        lambda m: str(MISSING_ID) if kinds.get(m[1]) == "integer" else "NO-SUCH-VALUE", path
    )


def assert_error_shape(response, status: int | set[int], where: str) -> dict[str, Any]:
    expected = {status} if isinstance(status, int) else status
    assert response.status_code in expected, (
        f"{where}: {response.status_code} {response.content[:200]!r}"
    )
    assert response["Content-Type"].startswith("application/json"), (
        f"{where}: {response['Content-Type']}"
    )
    error = response.json()["error"]
    assert set(error) == {"code", "message", "request_id", "fields"}, where
    assert all(error[key] for key in ("code", "message", "request_id")), where
    return error


def _send(client: Client, method: str, path: str, body: str | None = None, **extra: Any):
    kwargs: dict[str, Any] = dict(extra)
    if body is not None:
        kwargs.update(data=body, content_type="application/json")
    return getattr(client, method)(API + path, **kwargs)


def test_every_operation_answers_anonymous_callers_401_in_the_shape():
    cookie_lane = Client()
    cookie_lane.cookies["sessionid"] = "not-a-session"
    for method, path, operation in operations():
        filled = _fill(path, operation)
        for lane, client in (("no credentials", Client()), ("cookie", cookie_lane)):
            error = assert_error_shape(
                _send(client, method, filled, "{}" if method != "get" else None),
                401,
                f"{method.upper()} {filled} ({lane})",
            )
            assert error["code"] == "not_authenticated"


def test_every_operation_answers_its_error_cases_in_the_shape(owner, token_for):
    headers = bearer(token_for(owner, scopes=("read", "write", "tokens:create")))
    read_only = bearer(token_for(owner, scopes=("read",)))
    client = Client()
    paths: dict[str, set[str]] = {}
    for method, path, operation in operations():
        paths.setdefault(path, set()).add(method)
        filled = _fill(path, operation)
        where = f"{method.upper()} {filled}"
        if "{" in path and "NO-SUCH-VALUE" not in filled:  # an id nobody has
            missing = _send(client, method, filled, "{}" if method != "get" else None, **headers)
            assert_error_shape(missing, {403, 404, 422}, where + " (missing object)")
        if method != "get":
            assert_error_shape(
                _send(client, method, filled, "{not json", **headers), {400, 403, 404, 422}, where
            )
            assert_error_shape(
                _send(client, method, filled, "{}", **read_only), 403, where + " (read-only token)"
            )
    for path, served in paths.items():
        method = next(m for m in ("delete", "put", "patch", "post", "get") if m not in served)
        [(_, _, operation)] = [(m, p, o) for m, p, o in operations() if p == path][:1]
        filled = _fill(path, operation)
        error = assert_error_shape(
            _send(client, method, filled, "{}", **headers), 405, f"{method.upper()} {filled}"
        )
        assert error["code"] == "method_not_allowed"


@pytest.mark.parametrize("path", ["/api/v1/no-such-thing", "/api/v1/", "/api/v2/vehicles", "/api/"])
def test_unknown_api_paths_are_404_in_the_shape(path, owner, token_for):
    for client, extra in ((Client(), {}), (Client(), bearer(token_for(owner)))):
        error = assert_error_shape(client.get(path, **extra), 404, path)
        assert error["code"] == "not_found"


def test_an_anonymous_session_post_is_401_not_a_csrf_403():
    client = Client(enforce_csrf_checks=True)
    client.cookies["sessionid"] = "stale-session"
    response = client.post(f"{API}/tokens", "{}", content_type="application/json")
    error = assert_error_shape(response, 401, "POST /tokens")
    assert "CSRF" not in error["message"]
