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
        "sales.*",
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
        "sales.*",
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
        "sales.view_*",
        "sales.add_*",
        "sales.change_*",
    ],
    Role.FI_MANAGER: [_ROOFTOP, "inventory.view_*", "customers.*", "leads.view_*", "sales.*"],
    Role.SERVICE_ADVISOR: [_ROOFTOP, "inventory.view_*", *_WORK_WITH_CUSTOMERS, "service.*"],
    Role.TECHNICIAN: [_ROOFTOP, "inventory.view_*", "service.view_*", "service.work_*"],
    Role.PARTS: [_ROOFTOP, "inventory.view_*", "service.view_*", "parts.*"],
    Role.ACCOUNTANT: [
        _ROOFTOP,
        "core.view_auditentry",
        "inventory.view_*",
        "inventory.view_vehicle_cost",  # inventory valuation
        "sales.view_*",
        "service.view_*",
        "accounting.*",
    ],
    Role.READ_ONLY: [
        _ROOFTOP,
        "inventory.view_*",
        "customers.view_*",
        "leads.view_*",
        "sales.view_*",
        "service.view_*",
        "parts.view_*",
        "accounting.view_*",
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
