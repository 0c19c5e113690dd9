"""Lead import from CSV: every row validated with errors by row and column; all or nothing
or only the valid rows; customers matched by email/phone; opt-outs never re-granted."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from forecourt.accounts.roles import Role
from forecourt.core.models import AuditEntry
from forecourt.customers.actions import record_consent
from forecourt.customers.models import Customer
from forecourt.leads.imports.actions import import_leads
from forecourt.leads.imports.parsing import ImportFileError
from forecourt.leads.models import Lead
from forecourt.leads.tests.factories import make_customer

pytestmark = pytest.mark.django_db

HEADER = (
    "First Name,Last Name,Email,Phone,Source,Next follow-up on,Owner email,Consent SMS,"
    "Consent email\n"
)


@pytest.fixture
def manager(make_user, rooftop):
    return make_user(Role.SALES_MANAGER, rooftops=[rooftop])


def _csv(*rows):
    return io.BytesIO((HEADER + "".join(r + "\n" for r in rows)).encode())


def test_all_or_nothing_writes_nothing_when_a_row_is_bad(manager, rooftop):
    result = import_leads(
        manager, rooftop,
        _csv("Ana,Diaz,ana@example.com,,website,2026-12-01,,yes,no",
             "Bob,,,,marketplace,tomorrow,,maybe,"),
        mode="all",
    )  # fmt: skip
    assert not result.written
    assert Lead.objects.count() == 0
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "email"), (3, "consent_sms"), (3, "next_follow_up_on"),
    ]  # fmt: skip


def test_only_valid_rows_are_written_and_customers_matched(manager, salesperson, rooftop):
    existing = make_customer(salesperson, rooftop, email="known@example.com")
    result = import_leads(
        manager, rooftop,
        _csv(f"Known,Person,KNOWN@example.com,,referral,,{salesperson.email},,",
             "New,Person,,(415) 555-0777,phone,,,yes,",
             "Bad,Row,x@,,nope,,,,"),
        mode="valid",
    )  # fmt: skip
    assert len(result.created) == 2
    assert result.matched_customers == 1
    assert {e.column for e in result.errors} == {"email", "source"}
    known = Lead.objects.get(customer=existing)
    assert (known.source, known.owner) == ("referral", salesperson)
    new = Lead.objects.exclude(customer=existing).get()
    assert new.owner is None  # imported leads wait for a manager to assign them
    assert new.customer.mobile_phone == "+14155550777"
    assert new.customer.consent_sms
    assert AuditEntry.objects.filter(action="leads.import_leads").count() == 1


def test_an_import_never_regrants_consent_to_a_customer_who_opted_out(
    manager, salesperson, rooftop
):
    opted_out = make_customer(salesperson, rooftop, email="out@example.com", consent_sms=True)
    record_consent(salesperson, opted_out, "sms", False, "phone", note="STOP")
    undecided = make_customer(salesperson, rooftop, email="new@example.com")
    import_leads(
        manager, rooftop,
        _csv("Out,Person,out@example.com,,other,,,yes,yes",
             "Un,Decided,new@example.com,,other,,,yes,"),
        mode="all",
    )  # fmt: skip
    opted_out.refresh_from_db()
    undecided.refresh_from_db()
    assert opted_out.consent_sms is False
    assert opted_out.consent_email is True  # never decided on email: the import may grant it
    assert undecided.consent_sms is True


def test_bad_files_and_permissions(manager, salesperson, rooftop):
    with pytest.raises(ImportFileError, match="unknown column"):
        import_leads(manager, rooftop, io.BytesIO(b"name,shoe_size\nA,9\n"), mode="all")
    with pytest.raises(ImportFileError, match="UTF-8"):
        import_leads(manager, rooftop, io.BytesIO(b"first_name\n\xff\xfe\n"), mode="all")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_leads(salesperson, rooftop, _csv(), mode="all")


def test_import_page(client_for, manager, rooftop):
    web = client_for(manager)
    assert web.get(reverse("leads:lead-import")).status_code == 200
    upload = SimpleUploadedFile("leads.csv", _csv("Ana,Diaz,ana@example.com,,website,,,,").read())
    response = web.post(
        reverse("leads:lead-import"), {"rooftop": rooftop.pk, "mode": "all", "file": upload}
    )
    assert response.status_code == 200
    assert "1 lead(s) created" in response.content.decode()
    assert Customer.objects.filter(email="ana@example.com").exists()


def test_an_owner_must_be_someone_who_works_leads(manager, make_user, rooftop):
    parts = make_user(Role.PARTS, rooftops=[rooftop])
    result = import_leads(
        manager, rooftop,
        _csv(f"Pat,Lee,pat@example.com,,phone,,{parts.email},,",
             f"Sam,Lee,sam@example.com,,phone,,{manager.email.upper()},,"),
        mode="valid",
    )  # fmt: skip
    assert [(e.row, e.column) for e in result.errors] == [(2, "owner_email")]
    assert "works leads" in result.errors[0].message
    assert [lead.owner for lead in Lead.objects.all()] == [manager]
