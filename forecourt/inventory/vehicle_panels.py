"""Panels other apps add to the vehicle page, like core's dashboard registry: inventory sits
below them (docs/architecture.md "Layers") and cannot import them.

    register_vehicle_panel("purchasing/_vehicle_panel.html", context, "purchasing.view_x")

`context(request, vehicle)` returns the panel's template context, or None to hide it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class VehiclePanel:
    template: str
    context: Callable[[HttpRequest, Any], dict[str, Any] | None]
    permission: str | None = None


_PANELS: dict[str, VehiclePanel] = {}


def register_vehicle_panel(
    template: str,
    context: Callable[[HttpRequest, Any], dict[str, Any] | None],
    permission: str | None = None,
) -> None:
    _PANELS[template] = VehiclePanel(template, context, permission)


def vehicle_panels_for(request: HttpRequest, vehicle: Any) -> list[dict[str, Any]]:
    user: Any = request.user
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda p: p.template):
        if panel.permission is not None and not user.has_perm(panel.permission):
            continue
        context = panel.context(request, vehicle)
        if context is not None:
            shown.append({"template": panel.template, "context": context})
    return shown
