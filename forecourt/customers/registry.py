"""What apps above customers plug into it, so customers never imports them (docs/architecture.md).

Each app registers in its AppConfig.ready(), as apps do with core/dashboard.py:

    register_open_business("leads.open_lead", "an open lead", open_leads)
    register_personal_text_eraser("leads", erase_personal_text)
    register_customer_section("leads/_customer_timeline.html", "leads.view_activity", 10)

- open business keeps a customer from disposal (compliance/retention.py): `rows()` is a
  queryset of the app's rows that keep the customer `OuterRef("pk")`, used in `Exists`;
- a personal text eraser empties the app's personal text about the given customers when
  they are anonymized (compliance/actions/disposal.py), inside that action's transaction,
  and returns {what: rows cleared} for the audit entry;
- a customer section is a template included on the customer page (the context has
  `customer`); it shows to users holding its permission.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class OpenBusiness:
    description: str
    rows: Callable[[], QuerySet[Any]]


@dataclass(frozen=True)
class CustomerSection:
    template: str
    permission: str | None
    order: int


PersonalTextEraser = Callable[[Iterable[int]], dict[str, int]]

_OPEN_BUSINESS: dict[str, OpenBusiness] = {}
_ERASERS: dict[str, PersonalTextEraser] = {}
_SECTIONS: dict[str, CustomerSection] = {}


def register_open_business(name: str, description: str, rows: Callable[[], QuerySet[Any]]) -> None:
    _OPEN_BUSINESS[name] = OpenBusiness(description, rows)


def open_business() -> list[OpenBusiness]:
    """In registration order (the order the disposal blocker names them)."""
    return list(_OPEN_BUSINESS.values())


def register_personal_text_eraser(name: str, erase: PersonalTextEraser) -> None:
    _ERASERS[name] = erase


def personal_text_erasers() -> list[PersonalTextEraser]:
    return list(_ERASERS.values())


def register_customer_section(
    template: str, permission: str | None = None, order: int = 100
) -> None:
    _SECTIONS[template] = CustomerSection(template, permission, order)


def sections_for(user: Any) -> list[str]:
    """The templates of the sections this user may see on a customer page, in order."""
    return [
        section.template
        for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.template))
        if section.permission is None or user.has_perm(section.permission)
    ]
