"""What higher layers (finance, reports) add to a deal without deals importing them.

    register_back_gross("finance", finance_back_gross)      # in FinanceConfig.ready()
    register_jacket_panel("finance/_deal_panel.html", finance_panel_context, "finance.view_x")

The template reads its context as `panel_context` (Django reserves `context` in include).

A back-gross provider returns the F&I product profit plus finance reserve of a deal (0 when
it has none); a deal's back gross is the sum over providers. A jacket panel is a template
included on the deal jacket with the context its function returns (None hides it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpRequest

BackGross = Callable[[Any], Decimal]
PanelContext = Callable[[HttpRequest, Any], dict[str, Any] | None]

_BACK_GROSS: dict[str, BackGross] = {}


@dataclass(frozen=True)
class JacketPanel:
    template: str
    context: PanelContext
    permission: str | None = None
    order: int = 100


_PANELS: dict[str, JacketPanel] = {}


def register_back_gross(name: str, provider: BackGross) -> None:
    _BACK_GROSS[name] = provider


def unregister_back_gross(name: str) -> None:
    _BACK_GROSS.pop(name, None)


def back_gross(deal: Any) -> Decimal:
    return sum((provider(deal) for provider in _BACK_GROSS.values()), Decimal("0.00"))


def register_jacket_panel(
    template: str, context: PanelContext, permission: str | None = None, order: int = 100
) -> None:
    _PANELS[template] = JacketPanel(template, context, permission, order)


def jacket_panels(request: HttpRequest, deal: Any) -> list[dict[str, Any]]:
    user: Any = request.user
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.template)):
        if panel.permission is not None and not user.has_perm(panel.permission):
            continue
        context = panel.context(request, deal)
        if context is not None:
            shown.append({"template": panel.template, "context": context})
    return shown
