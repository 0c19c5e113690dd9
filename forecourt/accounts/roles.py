"""Roles are Django groups; what each may do is declared here, once.

Grants are glob patterns over "app_label.codename" so that a later app's
permissions reach the right roles without touching this file (docs/roles.md).
A data migration creates the groups; `post_migrate` keeps their grants in line
with the permissions that exist after every migration.
"""

from __future__ import annotations

import fnmatch
from enum import StrEnum
from typing import Any


class Role(StrEnum):
    OWNER = "Owner/Admin"
    GENERAL_MANAGER = "General Manager"
    SALES_MANAGER = "Sales Manager"
    SALESPERSON = "Salesperson"
    FI_MANAGER = "F&I Manager"
    SERVICE_ADVISOR = "Service Advisor"
    TECHNICIAN = "Technician"
    PARTS = "Parts"
    ACCOUNTANT = "Accountant"
    READ_ONLY = "Read-only"


_ROOFTOP = "accounts.view_rooftop"
# Customers and their leads and activities: everyday work, without reveal, merge, export,
# reassignment or disposal (those stay with managers: "customers.*", "leads.*").
_WORK_WITH_CUSTOMERS = [
    "customers.view_*",
    "customers.add_*",
    "customers.change_*",
    "leads.view_*",
    "leads.add_*",
    "leads.change_*",
]
# Deals: salespeople desk (create, edit, take payments, contract, deliver); managers also
# approve, cancel after contracting and unwind. Tax rules and settings stay with the owner.
# Delivering records each trade's purchase (seller, invoice), closes its appraisal and pays
# off the sold car's floor plan through purchasing's actions (docs/deals.md "Delivery").
_DESK_DEALS = [
    "deals.view_deal",
    "deals.add_deal",
    "deals.change_deal",
    "purchasing.add_seller",
    "purchasing.record_trade_in",
    "purchasing.change_appraisal",
    "purchasing.change_flooring",
]
_MANAGE_DEALS = [*_DESK_DEALS, "deals.approve_deal", "deals.unwind_deal", "deals.view_*"]

# Appraising trade-ins and recording their condition (docs/purchasing.md "Roles").
_APPRAISE = [
    "purchasing.view_appraisal",
    "purchasing.add_appraisal",
    "purchasing.change_appraisal",
    "purchasing.view_conditionreport",
    "purchasing.add_conditionreport",
]

# Lenders, their rate sheets, F&I products and menus: what the desking screen reads. Credit
# applications (and revealing them) stay with F&I and the managers who hold "finance.*".
_FINANCE_CATALOGUE = [
    "finance.view_lender*",
    "finance.view_financeproduct",
    "finance.view_productmenu",
    "finance.view_menuentry",
]

ROLE_GRANTS: dict[Role, list[str]] = {
    Role.OWNER: ["*"],
    Role.GENERAL_MANAGER: [
        "accounts.view_*",
        "accounts.access_all_rooftops",
        "core.view_auditentry",
        "security.review_access",
        "security.view_usersession",
        "inventory.*",
        "customers.*",
        "leads.*",
        "purchasing.*",
        "sales.*",
        "finance.*",
        *_MANAGE_DEALS,
        "service.*",
        "parts.*",
        "accounting.view_*",
    ],
    Role.SALES_MANAGER: [
        _ROOFTOP,
        "core.view_auditentry",
        "inventory.*",
        "customers.*",
        "leads.*",
        "purchasing.*",
        "sales.*",
        *_FINANCE_CATALOGUE,
        *_MANAGE_DEALS,
    ],
    Role.SALESPERSON: [
        _ROOFTOP,
        "inventory.view_*",
        "inventory.hold_*",
        # Receive, price and sell (docs/roles.md "Inventory").
        "inventory.add_vehicle",
        "inventory.change_vehicle_price",
        "inventory.change_vehicle_status",
        "inventory.record_vehicle_odometer",  # a test drive's reading when it comes back
        *_WORK_WITH_CUSTOMERS,
        *_APPRAISE,
        "sales.view_*",
        "sales.add_*",
        "sales.change_*",
        *_FINANCE_CATALOGUE,
        *_DESK_DEALS,
    ],
    Role.FI_MANAGER: [
        _ROOFTOP,
        "inventory.view_*",
        "customers.*",
        "leads.view_*",
        "sales.*",
        "finance.*",
        "deals.view_*",
    ],
    Role.SERVICE_ADVISOR: [_ROOFTOP, "inventory.view_*", *_WORK_WITH_CUSTOMERS, "service.*"],
    Role.TECHNICIAN: [
        _ROOFTOP,
        "inventory.view_*",
        "service.view_*",
        "service.work_*",
        # Reconditioning: see the board, move cars, add work and condition reports.
        "purchasing.view_recon*",
        "purchasing.view_workitem",
        "purchasing.change_reconorder",
        "purchasing.add_workitem",
        "purchasing.view_conditionreport",
        "purchasing.add_conditionreport",
    ],
    Role.PARTS: [_ROOFTOP, "inventory.view_*", "service.view_*", "parts.*"],
    Role.ACCOUNTANT: [
        _ROOFTOP,
        "core.view_auditentry",
        "inventory.view_*",
        "inventory.view_vehicle_cost",  # inventory valuation
        "purchasing.view_*",
        # Stocking finance and paying sellers (docs/stocking.md).
        "purchasing.*_flooring",
        "purchasing.*_lenderstatement",
        "purchasing.change_purchaseinvoice",
        "sales.view_*",
        "deals.view_*",
        "service.view_*",
        "accounting.*",
        *_FINANCE_CATALOGUE,
    ],
    Role.READ_ONLY: [
        _ROOFTOP,
        "inventory.view_*",
        "customers.view_*",
        "leads.view_*",
        "purchasing.view_*",
        "sales.view_*",
        "deals.view_*",
        "service.view_*",
        "parts.view_*",
        "accounting.view_*",
        *_FINANCE_CATALOGUE,
    ],
}


# Granted only by name or by a whole-app pattern ("*", "inventory.*"), never by a partial one
# such as "inventory.view_*": a vehicle's costs are for the managers who desk deals and the
# accountant, not for everyone who may look at stock.
NAMED_ONLY = frozenset({"inventory.view_vehicle_cost"})


def _grants(pattern: str, permission: str) -> bool:
    if permission in NAMED_ONLY:
        app_label = permission.partition(".")[0]
        return pattern in ("*", f"{app_label}.*", permission)
    return fnmatch.fnmatchcase(permission, pattern)


def granted(role: Role, permission: str) -> bool:
    """Whether `role` holds "app_label.codename" under its patterns."""
    return any(_grants(pattern, permission) for pattern in ROLE_GRANTS[role])


def sync_roles(group_model: Any, permission_model: Any) -> None:
    """Create every role's group and set its permissions to exactly what it is granted.

    Takes the model classes so the data migration can pass its historical models.
    """
    permissions = list(permission_model.objects.select_related("content_type"))
    for role in Role:
        group, _ = group_model.objects.get_or_create(name=role.value)
        wanted = [
            p for p in permissions if granted(role, f"{p.content_type.app_label}.{p.codename}")
        ]
        group.permissions.set(wanted)


def sync_roles_after_migrate(sender: Any, **kwargs: Any) -> None:
    from django.apps import apps as installed_apps

    # post_migrate fires once per app with models; by the last one every permission exists.
    with_models = [a for a in installed_apps.get_app_configs() if a.models_module is not None]
    if sender.label != with_models[-1].label:
        return
    # `migrate` passes its project state's apps; `flush` (run after every transactional
    # test) passes none, and the roles must come back then too.
    apps = kwargs.get("apps") or installed_apps
    try:
        group_model = apps.get_model("auth", "Group")
        permission_model = apps.get_model("auth", "Permission")
    except LookupError:  # pragma: no cover - auth not migrated yet
        return
    sync_roles(group_model, permission_model)
