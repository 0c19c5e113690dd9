import pytest
from django.db import DatabaseError, connection, transaction

from forecourt.accounts.actions import create_rooftop
from forecourt.core import audit
from forecourt.core.models import AppendOnlyError, AuditEntry
from forecourt.core.request_context import client_ip_var, request_id_var


@pytest.fixture
def entry(owner, rooftop):
    return audit.record(owner, "test.touch", rooftop, {"name": ["A", "B"]})


def test_record_captures_actor_object_diff_request_and_ip(owner, rooftop):
    id_token = request_id_var.set("req-12345678")
    ip_token = client_ip_var.set("203.0.113.9")
    try:
        entry = audit.record(owner, "test.rename", rooftop, {"name": ["Old", "New"]})
    finally:
        request_id_var.reset(id_token)
        client_ip_var.reset(ip_token)
    entry.refresh_from_db()
    assert entry.actor == owner
    assert entry.actor_label == owner.email
    assert entry.object_type == "accounts.rooftop"
    assert entry.object_id == str(rooftop.pk)
    assert entry.changes == {"name": ["Old", "New"]}
    assert entry.request_id == "req-12345678"
    assert entry.ip_address == "203.0.113.9"
    assert entry.rooftop_id == rooftop.pk


def test_diff_keeps_only_changed_fields():
    assert audit.diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {
        "b": [2, 3],
        "c": [None, 4],
    }


def test_action_writes_its_entry_in_the_same_transaction(owner):
    rooftop = create_rooftop(owner, code="north", name="North", country="US", currency="USD")
    entry = AuditEntry.objects.get(object_type="accounts.rooftop", object_id=str(rooftop.pk))
    assert entry.action == "accounts.create_rooftop"
    assert entry.changes["code"] == [None, "north"]


def test_failed_action_leaves_no_entry_and_no_row(owner):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        create_rooftop(owner, code="bad code!", name="", country="US", currency="USD")
    assert not AuditEntry.objects.filter(action="accounts.create_rooftop").exists()


def test_model_refuses_update_and_delete(entry):
    entry.action = "tampered"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    entry.refresh_from_db()
    assert entry.action == "test.touch"


def test_database_refuses_update_even_bypassing_the_orm(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditentry SET action = %s WHERE id = %s", ["tampered", entry.pk]
        )
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.touch"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="DELETE trigger is PostgreSQL's")
def test_database_refuses_delete_on_postgresql(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_audit_page_shows_only_the_viewers_rooftops(
    make_user, client_for, owner, rooftop, other_rooftop
):
    from forecourt.accounts.roles import Role

    audit.record(owner, "test.here", rooftop)
    audit.record(owner, "test.there", other_rooftop)
    manager = make_user(Role.SALES_MANAGER, rooftops=[rooftop])
    body = client_for(manager).get("/audit/").content.decode()
    assert "Here" in body  # the action "test.here", as a person reads it
    assert "There" not in body
    assert client_for(make_user(Role.SALESPERSON)).get("/audit/").status_code == 403


def test_audit_page_reads_as_plain_language(make_user, client_for, owner, rooftop):
    """Labels, names instead of ids, readable values, the rooftop's time to the minute, a
    chooser of object types: what a dealer reads, not `owner_id: None -> 4`."""
    from forecourt.accounts.roles import Role
    from forecourt.leads.tests.factories import make_customer, make_lead

    rooftop.time_zone = "America/Chicago"
    rooftop.save()
    seller = make_user(Role.SALESPERSON, full_name="Sam Seller")
    customer = make_customer(owner, rooftop, first_name="Wendy", last_name="Walkin")
    lead = make_lead(owner, rooftop, customer)
    audit.record(
        owner,
        "leads.reassign_lead",
        lead,
        {"owner_id": [None, seller.pk], "status": ["new", "contacted"], "hot": [False, True]},
        rooftop_id=rooftop.pk,
    )
    response = client_for(owner).get("/audit/")
    body = response.content.decode()
    assert "Reassign lead" in body
    assert "leads.reassign_lead" not in body
    assert "<strong>Owner</strong>: — → Sam Seller" in body
    assert "<strong>Status</strong>: New → Contacted" in body
    assert "Hot</strong>: No → Yes" in body
    assert "owner_id" not in body
    row = next(r for r in response.context["rows"] if r.action == "Reassign lead")
    assert row.when.endswith(("CST", "CDT"))
    assert len(row.when) == len("2026-12-04 11:13 CST")  # to the minute, no microseconds
    assert ("leads.lead", "Lead") in response.context["object_types"]
    assert '<select id="id_object_type" name="object_type">' in body
    only_leads = client_for(owner).get("/audit/", {"object_type": "leads.lead"})
    assert all(r.entry.object_type == "leads.lead" for r in only_leads.context["rows"])
    assert 'value="leads.lead" selected' in only_leads.content.decode()
