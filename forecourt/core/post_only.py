"""Views that only accept POST, and what the browser sees around them.

A form posts to its own URL (`/inventory/186/hold/`); when it fails, the page with the
errors is rendered at that URL. Two things then go wrong in a browser, and `post_only`
fixes both for every such view:

- Reloading (or bookmarking, or following a link to) the POST-only URL made a bare 405
  page: a GET or HEAD is now redirected to the page the form belongs to (the nearest
  parent path that is a page: `/inventory/186/`). Other methods still get 405.
- A failed form submitted by htmx (`hx-boost` on the form, or `hx-post`) must leave the
  address bar on the page: the response says `HX-Push-Url: false`, and a failed form's
  422 is sent as 200 to htmx (htmx swaps only 2xx responses by default), so the errors
  appear in place. Plain (non-htmx) requests keep the 422.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import Resolver404, resolve

from forecourt.core.htmx import is_htmx

FAILED_FORM = 422


def page_of(path: str) -> str:
    """The nearest parent path that resolves to a view ("/" at worst)."""
    parts = [p for p in path.split("/") if p]
    while parts:
        parts.pop()
        candidate = "/" + "/".join(parts) + ("/" if parts else "")
        try:
            resolve(candidate)
        except Resolver404:
            continue
        return candidate
    return "/"


def post_only[**P](view: Callable[P, HttpResponse]) -> Callable[P, HttpResponse]:
    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        request = args[0]
        assert isinstance(request, HttpRequest)  # noqa: S101 - a view's first argument
        if request.method in ("GET", "HEAD"):
            return HttpResponseRedirect(page_of(request.path))
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        response = view(*args, **kwargs)
        if is_htmx(request) and not response.has_header("Location"):
            response.headers.setdefault("HX-Push-Url", "false")
            if response.status_code == FAILED_FORM:
                response.status_code = 200
        return response

    wrapped.post_only = True  # type: ignore[attr-defined]  # read by the route tests
    return wrapped
