"""The navigation menu, filtered by what the signed-in user's roles allow.

Each app adds its entries here; an entry shows only to users holding its permission.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None = None


NAV_ITEMS: list[NavItem] = [
    NavItem("Dashboard", "core:dashboard"),
    NavItem("Inventory", "inventory:vehicle-list", "inventory.view_vehicle"),
    NavItem("Customers", "customers:customer-list", "customers.view_customer"),
    NavItem("Leads", "leads:lead-board", "leads.view_lead"),
    NavItem("My day", "leads:my-day", "leads.view_lead"),
    NavItem("Deals", "deals:deal-list", "deals.view_deal"),
    NavItem("Buying", "purchasing:purchase-list", "purchasing.view_purchaseinvoice"),
    NavItem("Recon", "purchasing:recon-board", "purchasing.view_reconorder"),
    NavItem("Finance", "finance:desk", "finance.view_financeproduct"),
    NavItem("Retention", "customers:retention-report", "customers.dispose_customer"),
    NavItem("Rooftops", "accounts:rooftop-list", "accounts.view_rooftop"),
    NavItem("Users", "accounts:user-list", "accounts.view_user"),
    NavItem("API tokens", "accounts:token-list", "accounts.view_apitoken"),
    NavItem("Audit log", "core:audit-list", "core.view_auditentry"),
    NavItem("System status", "observability:status", "observability.view_system_status"),
    NavItem("Access review", "security:access-review", "security.review_access"),
    NavItem("My sessions", "security:sessions"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    current = getattr(getattr(request, "resolver_match", None), "view_name", "")
    items = [
        {"label": item.label, "url": reverse(item.url_name), "current": item.url_name == current}
        for item in NAV_ITEMS
        if item.permission is None or user.has_perm(item.permission)
    ]
    return {"nav_items": items}
