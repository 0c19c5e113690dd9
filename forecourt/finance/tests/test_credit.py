"""Credit applications: encrypted at rest, masked, audited reveal, red flags, Regulation B."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone
from pypdf import PdfReader

from forecourt.accounts.roles import Role
from forecourt.core.models import AuditEntry
from forecourt.core.security.actions.reveal import reveal_field
from forecourt.core.security.pii import masked
from forecourt.finance.credit import actions, integration
from forecourt.finance.credit.models import CreditApplicant, CreditApplication
from forecourt.finance.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def fi_manager(make_user: Any) -> Any:
    return make_user(Role.FI_MANAGER)


def test_sensitive_fields_are_encrypted_in_the_table(fi_manager: Any, rooftop: Any) -> None:
    application = factories.credit_application(fi_manager, rooftop, co_applicant=True)
    applicant = application.applicants.get(role="applicant")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ssn, monthly_income, employer FROM finance_creditapplicant WHERE id = %s",
            [applicant.pk],
        )
        row = cursor.fetchone()
    assert all(value.startswith("fc1:") for value in row)
    assert "6789" not in "".join(row)
    assert masked(applicant, "ssn") == "***-**-6789"
    assert masked(applicant, "monthly_income") == "*****"
    assert application.applicants.count() == 2
    entry = AuditEntry.objects.get(action="finance.take_credit_application")
    assert "123-45-6789" not in str(entry.changes)


def test_reveal_is_for_fi_roles_and_audited(
    fi_manager: Any, salesperson: Any, rooftop: Any
) -> None:
    applicant = factories.credit_application(fi_manager, rooftop).applicants.get()
    assert reveal_field(fi_manager, applicant, "ssn") == "123-45-6789"
    assert AuditEntry.objects.filter(action="reveal_field", actor=fi_manager).count() == 1
    with pytest.raises(PermissionDenied):
        reveal_field(salesperson, applicant, "ssn")


def test_reveal_over_http_and_the_masked_page(
    fi_manager: Any, client_for: Any, rooftop: Any, salesperson: Any
) -> None:
    application = factories.credit_application(fi_manager, rooftop)
    applicant = application.applicants.get()
    browser = client_for(fi_manager)
    page = browser.get(f"/finance/credit/{application.pk}/").content.decode()
    assert "***-**-6789" in page
    assert "123-45-6789" not in page
    revealed = browser.post(f"/finance/credit/applicants/{applicant.pk}/reveal/", {"field": "ssn"})
    assert "123-45-6789" in revealed.content.decode()
    refused = client_for(salesperson).post(
        f"/finance/credit/applicants/{applicant.pk}/reveal/", {"field": "ssn"}
    )
    assert refused.status_code in {403, 404}


def test_red_flags_need_a_note_when_one_is_found(fi_manager: Any, rooftop: Any) -> None:
    application = factories.credit_application(fi_manager, rooftop)
    with pytest.raises(ValidationError) as refused:
        actions.record_red_flags(
            fi_manager, application, {"photo_mismatch": True}, "", application.version
        )
    assert "red_flags_note" in refused.value.message_dict
    checked = actions.record_red_flags(
        fi_manager,
        application,
        {"photo_mismatch": True},
        "Second photo ID seen.",
        application.version,
    )
    assert checked.red_flags["photo_mismatch"] is True
    assert checked.red_flags["fraud_alert"] is False
    assert checked.red_flags_found == [
        "Photo or description on the ID does not match the applicant"
    ]
    with pytest.raises(actions.CreditApplicationVersionConflict):
        actions.record_red_flags(fi_manager, application, {}, "", application.version)


def test_decision_sets_the_25_month_retention_and_disposal_erases(
    fi_manager: Any, rooftop: Any
) -> None:
    application = factories.credit_application(fi_manager, rooftop)
    notified = timezone.localdate()
    decided = actions.record_decision(
        fi_manager, application, "declined", notified, application.version
    )
    assert decided.retain_until == actions.add_months(notified, 25)
    assert actions.dispose_expired_applications() == 0
    later = timezone.now() + timedelta(days=25 * 31 + 2)
    assert actions.dispose_expired_applications(now=later) == 1
    applicant = CreditApplicant.objects.get(application=application)
    assert applicant.ssn == ""
    assert applicant.monthly_income is None
    assert applicant.first_name == "Dana"
    assert CreditApplication.objects.get(pk=application.pk).disposed_at is not None


def test_undecided_and_held_applications_are_kept(fi_manager: Any, rooftop: Any) -> None:
    undecided = factories.credit_application(fi_manager, rooftop)
    held = factories.credit_application(fi_manager, rooftop)
    actions.record_decision(fi_manager, held, "approved", timezone.localdate(), held.version)
    CreditApplication.objects.filter(pk=held.pk).update(legal_hold=True)
    far = timezone.now() + timedelta(days=3650)
    assert actions.dispose_expired_applications(now=far) == 0
    assert CreditApplicant.objects.get(application=undecided).ssn == "123-45-6789"


def test_add_months_keeps_month_ends() -> None:
    assert actions.add_months(date(2026, 1, 31), 25) == date(2028, 2, 29)
    assert actions.add_months(date(2026, 3, 15), 25) == date(2028, 4, 15)


def test_lender_pdf_is_a_post_that_reveals_and_audits(
    fi_manager: Any, client_for: Any, rooftop: Any
) -> None:
    application = factories.credit_application(fi_manager, rooftop)
    response = client_for(fi_manager).post(f"/finance/credit/{application.pk}/lender.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "123-45-6789" in text
    assert "Springfield Hospital" in text
    assert AuditEntry.objects.filter(action="finance.print_credit_application").count() == 1


def test_there_is_no_transmission_without_a_registered_gateway(
    fi_manager: Any, rooftop: Any
) -> None:
    application = factories.credit_application(fi_manager, rooftop)
    packet = integration.packet_for(fi_manager, application)
    assert packet.applicants[0].monthly_income == Decimal("5800.00")
    with pytest.raises(integration.TransmissionDisabled):
        integration.gateway("routeone")


def test_bad_applicant_input_names_the_field(
    fi_manager: Any, client_for: Any, rooftop: Any
) -> None:
    application = factories.credit_application(fi_manager, rooftop)
    response = client_for(fi_manager).post(
        f"/finance/credit/customers/{application.customer_id}/new/",
        {
            "applicant-first_name": "Dana",
            "applicant-last_name": "Buyer",
            "applicant-monthly_income": "-5",
        },
    )
    assert response.status_code == 422
    assert "Must not be negative." in response.content.decode()
    assert CreditApplication.objects.count() == 1


def test_red_flags_and_decision_forms(fi_manager: Any, client_for: Any, rooftop: Any) -> None:
    application = factories.credit_application(fi_manager, rooftop)
    browser = client_for(fi_manager)
    refused = browser.post(
        f"/finance/credit/{application.pk}/red-flags/",
        {"version": application.version, "fraud_alert": "on", "note": ""},
    )
    assert refused.status_code == 422
    assert "Say what was done about the flags found." in refused.content.decode()
    checked = browser.post(
        f"/finance/credit/{application.pk}/red-flags/",
        {"version": application.version, "note": ""},
    )
    assert checked.status_code == 302
    decided = browser.post(
        f"/finance/credit/{application.pk}/decision/",
        {
            "version": application.version + 1,
            "status": "approved",
            "notified_on": timezone.localdate().isoformat(),
        },
    )
    assert decided.status_code == 302
    application.refresh_from_db()
    assert application.status == "approved"
    assert application.retain_until == actions.add_months(timezone.localdate(), 25)
    assert application.red_flags_checked_by == fi_manager
