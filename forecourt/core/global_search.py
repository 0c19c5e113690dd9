"""The search box in every page's header (press "/" to reach it): each app registers what it
can find, core asks every finder the user may use and lists the hits per app.

    register_finder("Vehicles", find_vehicles, "inventory.view_vehicle", order=10)

A finder takes the user and the typed text and returns at most `limit` hits, read through
`Model.objects.for_user(user, "view")`: nobody finds what they may not open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

HITS_PER_FINDER = 8
MAX_QUERY_LENGTH = 100


@dataclass(frozen=True)
class Hit:
    label: str
    url: str
    detail: str = ""


Finder = Callable[[Any, str, int], list[Hit]]


@dataclass(frozen=True)
class _Registered:
    heading: str
    find: Finder
    permission: str | None
    order: int


_FINDERS: dict[str, _Registered] = {}


def register_finder(
    heading: str, find: Finder, permission: str | None = None, order: int = 100
) -> None:
    _FINDERS[heading] = _Registered(heading, find, permission, order)


def find_everything(user: Any, q: str) -> list[dict[str, Any]]:
    """[{"heading", "hits"}] for every finder this user may use that found something."""
    q = " ".join(q.split())[:MAX_QUERY_LENGTH]
    if not q:
        return []
    groups = []
    for finder in sorted(_FINDERS.values(), key=lambda f: (f.order, f.heading)):
        if finder.permission is not None and not user.has_perm(finder.permission):
            continue
        hits = finder.find(user, q, HITS_PER_FINDER)
        if hits:
            groups.append({"heading": finder.heading, "hits": hits})
    return groups


def search_page(request: HttpRequest) -> HttpResponse:
    """Signed-in users only (LoginRequiredMiddleware); each finder scopes its own reads."""
    q = request.GET.get("q", "")
    groups = find_everything(request.user, q)
    return render(request, "core/search.html", {"q": q.strip(), "groups": groups})
