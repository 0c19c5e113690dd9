"""Idempotency keys expire and never keep personal data beyond that (issue 19, finding 12)."""

from __future__ import annotations

import orjson
import pytest
from django.test import Client
from django.utils import timezone

from forecourt.accounts.roles import Role
from forecourt.core import idempotency
from forecourt.core.models import IdempotencyKey
from forecourt.core.scheduler import registered_jobs
from forecourt.customers.compliance import actions as compliance_actions
from forecourt.customers.models import Customer

pytestmark = pytest.mark.django_db

PAYLOAD = {"first_name": "Margaret", "last_name": "Hamilton"}


@pytest.fixture
def create_customer(salesperson, token_for, rooftop):
    token = token_for(salesperson)

    def create(key: str):
        return Client().post(
            "/api/v1/customers",
            orjson.dumps({"rooftop_id": rooftop.pk, **PAYLOAD, "email": f"{key}@example.com"}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
            HTTP_IDEMPOTENCY_KEY=key,
        )

    return create


def test_a_key_records_whose_data_it_holds(create_customer):
    response = create_customer("key-1")
    assert response.status_code == 201
    record = IdempotencyKey.objects.get(key="key-1")
    assert record.subject == f"customers.customer:{response.json()['id']}"
    assert b"Hamilton" in bytes(record.response_body)


def test_an_expired_key_is_never_replayed(create_customer):
    create_customer("key-2")
    IdempotencyKey.objects.update(created_at=timezone.now() - idempotency.KEY_LIFETIME)
    again = create_customer("key-2")
    assert "Idempotent-Replayed" not in again
    assert again.status_code == 409  # a new request: the first customer is a duplicate now
    assert Customer.objects.count() == 1
    assert (
        IdempotencyKey.objects.get(key="key-2").created_at
        > timezone.now() - idempotency.KEY_LIFETIME
    )


def test_the_scheduler_purges_expired_keys(create_customer):
    create_customer("old")
    create_customer("fresh")
    IdempotencyKey.objects.filter(key="old").update(
        created_at=timezone.now() - idempotency.KEY_LIFETIME - timezone.timedelta(minutes=1)
    )
    [job] = [job for job in registered_jobs() if job.name == "core.purge_idempotency_keys"]
    assert job.schedule.every == timezone.timedelta(hours=1)
    assert job.run() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["fresh"]


def test_disposing_of_a_customer_removes_the_keys_holding_their_data(create_customer, make_user):
    customer_id = create_customer("key-3").json()["id"]
    create_customer("key-4")  # another customer's key stays
    manager = make_user(Role.SALES_MANAGER)
    compliance_actions.anonymize_customer(manager, customer_id, reason="Erasure request.")
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["key-4"]
