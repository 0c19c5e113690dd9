"""core/db/bulk.py: COPY on PostgreSQL, bulk_create elsewhere, the same rows either way."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from forecourt.core.db import bulk
from forecourt.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _row(n: int, changes: dict[str, list[object]]) -> dict[str, object]:
    return {
        "created_at": timezone.now(),
        "actor_id": None,
        "actor_label": "system",
        "action": "test.bulk",
        "object_type": "test.thing",
        "object_id": str(n),
        "object_repr": f"thing {n}",
        "changes": changes,
        "request_id": "",
        "ip_address": None,
        "rooftop_id": None,
    }


def test_copy_rows_writes_every_row_with_its_json() -> None:
    bulk.copy_rows(AuditEntry, [_row(n, {"n": [None, n]}) for n in range(3)], batch_size=2)
    written = AuditEntry.objects.filter(action="test.bulk").order_by("object_id")
    assert [(e.object_id, e.changes) for e in written] == [
        ("0", {"n": [None, 0]}),
        ("1", {"n": [None, 1]}),
        ("2", {"n": [None, 2]}),
    ]


def test_copy_rows_of_nothing_writes_nothing() -> None:
    bulk.copy_rows(AuditEntry, [])
    assert not AuditEntry.objects.filter(action="test.bulk").exists()


def test_insert_objects_returns_them_saved_with_their_ids() -> None:
    entries = [AuditEntry(**_row(n, {})) for n in range(3)]
    saved = bulk.insert_objects(entries)
    assert saved is entries
    assert all(e.pk is not None and not e._state.adding for e in saved)
    assert sorted(AuditEntry.objects.filter(action="test.bulk").values_list("pk", flat=True)) == [
        e.pk for e in saved
    ]


ON_POSTGRESQL = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY and sequences are PostgreSQL's"
)


@ON_POSTGRESQL
def test_a_constraint_violation_in_a_copy_is_an_integrity_error_and_nothing_is_written() -> None:
    bad = {**_row(1, {}), "action": None}  # NOT NULL
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.copy_rows(AuditEntry, [_row(0, {}), bad])
    assert not AuditEntry.objects.filter(action="test.bulk").exists()


@ON_POSTGRESQL
def test_reserve_ids_gives_new_ascending_ids() -> None:
    first = bulk.reserve_ids(AuditEntry, 3)
    second = bulk.reserve_ids(AuditEntry, 2)
    assert first == sorted(set(first))
    assert len(first) == 3
    assert min(second) > max(first)
