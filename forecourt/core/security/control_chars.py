"""Control characters are refused at the edge, before any view or query sees them.

A NUL byte cannot be stored in a PostgreSQL text value (psycopg raises DataError: an
unhandled 500), and no other control character belongs in a name, a VIN or a search. So
every text parameter is checked on both lanes, before sessions, CSRF and the views:

- the path (each URL parameter by name, or the whole path when it matches no route),
- query-string names and values,
- form fields (url-encoded and multipart; file contents are not text and are not checked),
- JSON bodies under /api/ (every string, and every key, at any depth).

Query strings and paths allow no control character at all; form fields and JSON strings
allow tab, line feed and carriage return (a multi-line note). A refusal names the field:
under /api/ a 422 in the API's error shape, elsewhere a 400 page saying which field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import orjson
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve

from forecourt.core.api_errors import API_PATH_PREFIX, error_body

MESSAGE = "Control characters (such as NUL) are not allowed here."
# C0 controls and DEL; text fields (forms, JSON) may hold tab, line feed, carriage return.
_ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# In raw JSON a control character inside a string must be escaped (\u0000); a raw one makes
# the document invalid. Either way the body needs a closer look (rare: one scan otherwise).
_JSON_SUSPECT = re.compile(
    rb"\\u00(?:0[0-8bcefBCEF]|1[0-9a-fA-F]|7[fF])|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
)
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _path_field(request: HttpRequest) -> str | None:
    if not _ANY_CONTROL.search(request.path_info):
        return None
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return "path"
    for name, value in match.kwargs.items():
        if isinstance(value, str) and _ANY_CONTROL.search(value):
            return str(name)
    return "path"


def _query_field(request: HttpRequest) -> str | None:
    for name, values in request.GET.lists():
        if _ANY_CONTROL.search(name):
            return _printable(name)
        if any(_ANY_CONTROL.search(value) for value in values):
            return name
    return None


def _form_field(request: HttpRequest) -> str | None:
    if request.method != "POST" or not (request.content_type or "").startswith(_FORM_TYPES):
        return None
    try:
        fields = request.POST
    except Exception:  # a malformed body is the view's (and Django's) to refuse
        return None
    for name, values in fields.lists():
        if _ANY_CONTROL.search(name):
            return _printable(name)
        if any(_CONTROL_IN_TEXT.search(value) for value in values):
            return name
    return None


def _json_strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield f"{path}.{key}" if path else str(key), str(key)
            yield from _json_strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_strings(item, f"{path}.{index}" if path else str(index))


def _json_field(request: HttpRequest) -> str | None:
    if not request.path.startswith(API_PATH_PREFIX) or "json" not in (request.content_type or ""):
        return None
    body = request.body
    if not _JSON_SUSPECT.search(body):
        return None
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError:
        return "body"  # a raw control character: not even valid JSON
    for path, text in _json_strings(document):
        if _CONTROL_IN_TEXT.search(text):
            return _printable(path) or "body"
    return None


def _printable(name: str) -> str:
    return _ANY_CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", name)


def refused_field(request: HttpRequest) -> str | None:
    """The first parameter holding a control character, by name (None when all are clean)."""
    return (
        _path_field(request)
        or _query_field(request)
        or _form_field(request)
        or _json_field(request)
    )


class ControlCharacterMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = refused_field(request)
        if field is None:
            return self.get_response(request)
        if request.path.startswith(API_PATH_PREFIX):
            body = error_body(
                request, 422, "The input is not valid.", [{"field": field, "message": MESSAGE}]
            )
            return JsonResponse(body, status=422)
        page = render_to_string("security/bad_input.html", {"field": field, "message": MESSAGE})
        return HttpResponse(page, status=400)
