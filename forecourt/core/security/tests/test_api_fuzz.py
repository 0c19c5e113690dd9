"""schemathesis against our OpenAPI document, authenticated with an API token.

No operation may answer 5xx or break its documented schema (status codes, content type,
response bodies). Bounded: a few derandomised examples per operation.
"""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from forecourt.api import api
from forecourt.core.security.tests.world import world as world_fixture

world = world_fixture  # the fixture, under its own name for pytest

MAX_EXAMPLES = 3
# Every default check (no 5xx, documented status codes, content types, response schemas,
# headers, ...) except "schema-valid data must be accepted": business rules (a VIN's check
# digit, a rooftop the caller may use) rightly refuse some schema-valid input with 422.
SKIPPED_CHECKS = [positive_data_acceptance]

# The document /api/v1/openapi.json serves (test_the_fuzzed_document_is_the_served_one).
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()


@pytest.fixture
def owner_token(world, token_for):
    # Like Django's test client: keep the test's database connection (and transaction) open
    # across the WSGI requests instead of closing it at the end of each one.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield token_for(world.owner)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_the_fuzzed_document_is_the_served_one(db):
    served = Client().get("/api/v1/openapi.json").json()
    assert served == json.loads(json.dumps(api.get_openapi_schema()))


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_within_its_schema_and_never_5xx(case, owner_token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {owner_token}"}, excluded_checks=SKIPPED_CHECKS
    )
