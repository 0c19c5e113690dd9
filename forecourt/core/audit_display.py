"""Audit entries as a person reads them: "Start test drive" instead of
`leads.start_test_drive`, "Owner: Sam Seller" instead of `owner_id: 4`, "Yes" for true,
a choice's label for its code, times in the rooftop's time zone to the minute.

Generic over every app (core knows no app): labels come from the models' own metadata
(verbose names, choices, foreign keys), found through the app registry by the entry's
object type, and the ids of one page are turned into names with one query per model.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone

from forecourt.core.models import AuditEntry

EMPTY = "—"  # no value (before a field was first set, or after it was cleared)


@dataclass
class ChangeRow:
    label: str
    before: str
    after: str


@dataclass
class EntryRow:
    entry: AuditEntry
    when: str  # to the minute, in the rooftop's time zone, with the zone's abbreviation
    who: str
    action: str
    object_label: str
    changes: list[ChangeRow] = field(default_factory=list)


def humanize_code(code: str) -> str:
    """`leads.start_test_drive` -> "Start test drive"; `accounts.user` -> "User"."""
    name = code.rsplit(".", 1)[-1].replace("_", " ").strip()
    return name[:1].upper() + name[1:]


def model_of(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> str:
    model = model_of(object_type)
    if model is None:
        return humanize_code(object_type)
    name = str(model._meta.verbose_name)
    return name[:1].upper() + name[1:]


def object_type_choices(object_types: Iterable[str]) -> list[tuple[str, str]]:
    """(value, label) for the object type chooser, sorted by label."""
    return sorted(((t, object_type_label(t)) for t in set(object_types)), key=lambda c: c[1])


def _field(model: type[models.Model] | None, name: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    for candidate in (name, name.removesuffix("_id")):
        try:
            found = model._meta.get_field(candidate)
        except FieldDoesNotExist:
            continue
        if isinstance(found, models.Field):
            return found
    return None


def _zone(entry: AuditEntry, fallback: str) -> ZoneInfo:
    name = entry.rooftop.time_zone if entry.rooftop_id and entry.rooftop else fallback
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


class _Names:
    """The names of the related objects a page of entries mentions, one query per model."""

    def __init__(self) -> None:
        self.wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
        self.found: dict[tuple[type[models.Model], str], str] = {}

    def want(self, model: type[models.Model], value: Any) -> None:
        """Remember an id to name; a value that is not an id (an email some action
        recorded in its place) is shown as it is."""
        if value in (None, "") or isinstance(value, bool):
            return
        try:
            self.wanted[model].add(model._meta.pk.to_python(value))
        except (ValidationError, TypeError, ValueError):
            return

    def load(self) -> None:
        for model, ids in self.wanted.items():
            for obj in model._default_manager.filter(pk__in=ids):
                self.found[(model, str(obj.pk))] = _name_of(obj)

    def name(self, model: type[models.Model], value: Any) -> str:
        found = self.found.get((model, str(value)))
        if found is not None:
            return found
        return f"#{value} (no longer on file)" if isinstance(value, int) else str(value)


def _name_of(obj: models.Model) -> str:
    full_name = getattr(obj, "full_name", "")
    return str(full_name or obj)


def _value(
    model_field: models.Field[Any, Any] | None, value: Any, names: _Names, zone: ZoneInfo
) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if model_field is not None:
        if model_field.is_relation and model_field.related_model is not None:
            related = model_field.related_model
            assert isinstance(related, type)  # noqa: S101 - a concrete model, not "self"
            return names.name(related, value)
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, str) and len(value) >= 19 and value[10:11] == "T":
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment):
            return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
        return moment.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, str) and len(value) == 10 and value[4:5] == "-":
        try:
            return date.fromisoformat(value).strftime("%Y-%m-%d")
        except ValueError:
            return value
    if isinstance(value, list | dict):
        return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return str(value)


def _label(model_field: models.Field[Any, Any] | None, name: str) -> str:
    if model_field is None:
        return humanize_code(name.removesuffix("_id"))
    label = str(model_field.verbose_name)
    return label[:1].upper() + label[1:]


def present(entries: Iterable[AuditEntry], *, fallback_time_zone: str) -> list[EntryRow]:
    """Rows for a page of entries (entries with `rooftop` and `actor` selected)."""
    entries = list(entries)
    names = _Names()
    for entry in entries:
        model = model_of(entry.object_type)
        for name, values in (entry.changes or {}).items():
            model_field = _field(model, name)
            if model_field is not None and model_field.is_relation and model_field.related_model:
                related = model_field.related_model
                if isinstance(related, type) and isinstance(values, list):
                    for value in values:
                        if not isinstance(value, list | dict):
                            names.want(related, value)
    names.load()
    rows = []
    for entry in entries:
        model = model_of(entry.object_type)
        zone = _zone(entry, fallback_time_zone)
        changes = []
        for name, values in (entry.changes or {}).items():
            model_field = _field(model, name)
            pair = [*values, None, None][:2] if isinstance(values, list) else [None, values]
            before, after = pair
            changes.append(
                ChangeRow(
                    _label(model_field, name),
                    _value(model_field, before, names, zone),
                    _value(model_field, after, names, zone),
                )
            )
        actor = entry.actor
        rows.append(
            EntryRow(
                entry=entry,
                when=timezone.localtime(entry.created_at, zone).strftime("%Y-%m-%d %H:%M %Z"),
                who=(actor.full_name if actor is not None and actor.full_name else "")
                or entry.actor_label,
                action=humanize_code(entry.action),
                object_label=f"{object_type_label(entry.object_type)} {entry.object_repr}".strip(),
                changes=changes,
            )
        )
    return rows


def trail_for(
    user: Any, obj: models.Model, *, limit: int = 50, record_history: bool = False
) -> list[EntryRow]:
    """One object's audit trail as people read it, newest first, for a detail page's
    "History" / "Audit trail" section; empty for a role without `core.view_auditentry`,
    unless the trail is the record's own history (`record_history`: a deal's transitions are
    part of the deal, shown to everyone who may see the deal)."""
    if not record_history and not user.has_perm("core.view_auditentry"):
        return []
    entries = (
        AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .select_related("rooftop", "actor")
        .order_by("-created_at", "-id")[:limit]
    )
    rooftop = getattr(obj, "rooftop", None)
    zone = getattr(rooftop, "time_zone", None) or settings.TIME_ZONE
    return present(entries, fallback_time_zone=zone)
