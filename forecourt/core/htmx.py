"""htmx request detection, once.

htmx sends `HX-Request: true` on every request it makes and `HX-Target` with the id of the
element it will swap; views answer such a request with a partial instead of the page.
"""

from __future__ import annotations

from django.http import HttpRequest


def is_htmx(request: HttpRequest, target: str | None = None) -> bool:
    """True for an htmx request (aimed at the element `target`, when given)."""
    if not request.headers.get("HX-Request"):
        return False
    return target is None or request.headers.get("HX-Target") == target
