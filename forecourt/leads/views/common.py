"""What the leads pages share: the user's rooftops and colleagues, narrowing form choices."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from forecourt.accounts.models import Rooftop, User
from forecourt.leads import actions

VIEW = "leads.view_lead"
# A lead page shows these; one query for the lead and them.
LEAD_RELATED = ("customer", "owner", "vehicle", "rooftop")


def limit_choices(form: Any, name: str, *, queryset: Any = None, choices: Any = None) -> None:
    """Narrow a choice field to what this user and customer may pick."""
    field: Any = form.fields[name]
    if queryset is not None:
        field.queryset = queryset
    if choices is not None:
        field.choices = choices


def rooftops_of(request: HttpRequest) -> QuerySet[Rooftop]:
    return Rooftop.objects.for_user(request.user, "view")


def colleagues(request: HttpRequest) -> QuerySet[User]:
    """Who may own the user's rooftops' leads: the owner filters and the reassign picker."""
    return actions.lead_workers(rooftops_of(request))
