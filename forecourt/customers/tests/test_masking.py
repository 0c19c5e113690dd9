"""Sensitive identifiers per role on every surface: pages, edit form, API detail and list,
the export, audit entries and logs. An F&I Manager reveals (audited); others see masks."""

from __future__ import annotations

import json
import logging

import pytest

from forecourt.accounts.roles import Role
from forecourt.core.models import AuditEntry
from forecourt.customers.tests.factories import ApiClient, make_customer

pytestmark = pytest.mark.django_db

SSN = "123-45-6789"
LICENCE = "D1234567"
FULL_VALUES = (SSN, "123456789", LICENCE, "1987-04-02", "04/02/1987", "Acme Mining", "85000")
MASKING_ROLES = [Role.SALESPERSON, Role.SERVICE_ADVISOR, Role.READ_ONLY, Role.GENERAL_MANAGER]


@pytest.fixture
def customer(owner, rooftop):
    return make_customer(
        owner,
        rooftop,
        ssn=SSN,
        date_of_birth="1987-04-02",
        drivers_license_number=LICENCE,
        drivers_license_state="NV",
        employer="Acme Mining",
        income="85000",
    )


def _assert_no_full_value(text: str) -> None:
    for value in FULL_VALUES:
        assert value not in text, value


@pytest.mark.parametrize("role", [*MASKING_ROLES, Role.FI_MANAGER])
def test_pages_show_only_masks_whatever_the_role(role, make_user, client_for, customer):
    client = client_for(make_user(role))
    page = client.get(f"/customers/{customer.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    _assert_no_full_value(html)
    assert "***-**-6789" in html
    assert "**/**/1987" in html
    reveal_buttons = html.count('hx-post="/customers/')
    may_reveal = make_user(role).has_perm("customers.reveal_customer")
    assert (reveal_buttons > 0) is may_reveal
    listing = client.get("/customers/")
    _assert_no_full_value(listing.content.decode())


def test_the_edit_form_never_carries_a_full_value(make_user, client_for, customer):
    client = client_for(make_user(Role.SALES_MANAGER))
    html = client.get(f"/customers/{customer.pk}/edit/").content.decode()
    _assert_no_full_value(html)
    assert 'placeholder="***-**-6789"' in html


def test_fi_manager_reveals_an_ssn_and_it_is_audited_and_logged(
    make_user, client_for, customer, caplog
):
    fi_manager = make_user(Role.FI_MANAGER)
    client = client_for(fi_manager)
    with caplog.at_level(logging.INFO, logger="forecourt.security"):
        response = client.post(f"/customers/{customer.pk}/reveal/", {"field": "ssn"})
    assert response.status_code == 200
    assert SSN in response.content.decode()
    entry = AuditEntry.objects.get(action="reveal_field", object_id=str(customer.pk))
    assert entry.actor == fi_manager
    assert entry.changes == {"ssn": ["(masked)", "(revealed)"]}
    assert SSN not in str(entry.changes)
    assert any("ssn" in r.getMessage() and SSN not in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("role", [Role.SALESPERSON, Role.SERVICE_ADVISOR, Role.READ_ONLY])
def test_other_roles_cannot_reveal(role, make_user, client_for, customer, token_for):
    user = make_user(role)
    response = client_for(user).post(f"/customers/{customer.pk}/reveal/", {"field": "ssn"})
    assert response.status_code == 403
    _assert_no_full_value(response.content.decode())
    api = ApiClient(user, token_for(user))
    response = api.send("post", f"/customers/{customer.pk}/reveal", {"field": "ssn"})
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="reveal_field").exists()


@pytest.mark.parametrize("role", [*MASKING_ROLES, Role.FI_MANAGER])
def test_api_detail_is_masked_and_list_has_no_sensitive_field(role, make_user, token_for, customer):
    user = make_user(role)
    api = ApiClient(user, token_for(user, ("read",)))
    detail = api.get(f"/customers/{customer.pk}")
    assert detail.status_code == 200
    _assert_no_full_value(detail.content.decode())
    assert detail.json()["sensitive"]["ssn"] == "***-**-6789"
    listing = api.get("/customers")
    item = listing.json()["items"][0]
    sensitive = {"ssn", "date_of_birth", "drivers_license_number", "employer", "income"}
    assert not sensitive & set(item)
    assert "sensitive" not in item
    _assert_no_full_value(listing.content.decode())


def test_api_reveal_for_fi_manager(make_user, token_for, customer):
    fi_manager = make_user(Role.FI_MANAGER)
    api = ApiClient(fi_manager, token_for(fi_manager))
    response = api.send("post", f"/customers/{customer.pk}/reveal", {"field": "ssn"})
    assert response.json() == {"field": "ssn", "value": SSN}
    assert AuditEntry.objects.filter(action="reveal_field", actor=fi_manager).count() == 1


def test_export_masks_for_a_manager_without_reveal(make_user, client_for, customer):
    """Export needs export_customer; full values need reveal_customer too."""
    from django.contrib.auth.models import Permission

    manager = make_user(None)
    manager.user_permissions.add(
        *Permission.objects.filter(codename__in=["export_customer", "view_customer"])
    )
    client = client_for(manager)
    response = client.post(f"/customers/{customer.pk}/export/json/")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["customer"]["ssn"] == "***-**-6789"
    _assert_no_full_value(response.content.decode())
    assert not AuditEntry.objects.filter(action="reveal_field").exists()


def test_export_reveals_for_fi_manager_and_each_read_is_audited(make_user, client_for, customer):
    fi_manager = make_user(Role.FI_MANAGER)
    response = client_for(fi_manager).post(f"/customers/{customer.pk}/export/json/")
    body = json.loads(response.content)
    assert body["customer"]["ssn"] == SSN
    revealed = {next(iter(e.changes)) for e in AuditEntry.objects.filter(action="reveal_field")}
    assert {"ssn", "date_of_birth", "drivers_license_number", "employer", "income"} <= revealed
