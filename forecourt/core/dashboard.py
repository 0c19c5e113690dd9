"""Dashboard panels: each app adds what its people need to see first, core shows them.

    register_panel("inventory/_dashboard.html", stock_summary, "inventory.view_vehicle")

`context(request)` returns the panel's template context, or None to hide it. A panel shows
only to users holding its permission; its numbers must come from scoped reads
(`for_user`), and anything expensive over large tables is cached briefly by the app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[[HttpRequest], dict[str, Any] | None]
    permission: str | None = None
    order: int = 100


_PANELS: dict[str, Panel] = {}


def register_panel(
    template: str,
    context: Callable[[HttpRequest], dict[str, Any] | None],
    permission: str | None = None,
    order: int = 100,
) -> None:
    _PANELS[template] = Panel(template, context, permission, order)


def panels_for(request: HttpRequest) -> list[dict[str, Any]]:
    """The panels this user may see, in order, with their context."""
    user: Any = request.user
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.template)):
        if panel.permission is not None and not user.has_perm(panel.permission):
            continue
        context = panel.context(request)
        if context is not None:
            shown.append({"template": panel.template, "context": context})
    return shown
