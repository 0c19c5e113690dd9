"""The navigation: a registry every app adds its own entries to, filtered by the signed-in
user's permissions.

Three places in the header (docs/architecture.md, "Navigation"):
- DEPARTMENT: the bar itself (Inventory, Customers, Leads, later Deals, Finance, Buying ...);
- ADMIN: the one "Admin" menu (rooftops, users, audit log, system status ...);
- PERSONAL: the menu under the user's name (sessions, two-factor, password).

An app adds its entries from its own `AppConfig.ready()`:

    from forecourt.core.navigation import DEPARTMENT, NavItem, register_nav

    register_nav(NavItem("Deals", "deals:deal-board", "deals.view_deal", DEPARTMENT, order=40))

Core never imports an app for this (layers point one way); an entry shows only to users
holding its permission, and entries sort by `order`, then label.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

DEPARTMENT = "department"
ADMIN = "admin"
PERSONAL = "personal"
SECTIONS = (DEPARTMENT, ADMIN, PERSONAL)


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None = None
    section: str = DEPARTMENT
    order: int = 100

    def __post_init__(self) -> None:
        if self.section not in SECTIONS:
            raise ValueError(f"navigation section must be one of {SECTIONS}: {self.section!r}")


_registry: dict[str, NavItem] = {}


def register_nav(*items: NavItem) -> None:
    """Add entries; registering a url_name again replaces its entry (ready() may run twice
    in tests)."""
    for item in items:
        _registry[item.url_name] = item


def registered() -> list[NavItem]:
    return sorted(_registry.values(), key=lambda item: (item.order, item.label))


# Core's own pages: the dashboard, its administration pages and the personal security pages.
register_nav(
    NavItem("Dashboard", "core:dashboard", order=0),
    NavItem("Audit log", "core:audit-list", "core.view_auditentry", ADMIN, order=60),
    NavItem("System status", "observability:status", "observability.view_system_status", ADMIN, 70),
    NavItem("Access review", "security:access-review", "security.review_access", ADMIN, 80),
    NavItem("My sessions", "security:sessions", section=PERSONAL, order=10),
    NavItem("Two-factor authentication", "security:mfa-manage", section=PERSONAL, order=20),
    NavItem("Change password", "security:password-change", section=PERSONAL, order=30),
)


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Context processor: `nav_items` (the bar), `nav_admin_items`, `nav_personal_items`."""
    sections: dict[str, list[dict[str, Any]]] = {name: [] for name in SECTIONS}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        current = getattr(getattr(request, "resolver_match", None), "view_name", "")
        for item in registered():
            if item.permission is None or user.has_perm(item.permission):
                sections[item.section].append(
                    {
                        "label": item.label,
                        "url": reverse(item.url_name),
                        "current": item.url_name == current,
                    }
                )
    return {
        "nav_items": sections[DEPARTMENT],
        "nav_admin_items": sections[ADMIN],
        "nav_admin_current": any(entry["current"] for entry in sections[ADMIN]),
        "nav_personal_items": sections[PERSONAL],
    }
