"""GET never changes data: crawl every route as a signed-in owner and compare every table."""

import hashlib

from django.apps import apps
from django.test import Client

from forecourt.core.security.tests.routes import all_routes, values_for
from forecourt.core.security.tests.world import world as world_fixture

world = world_fixture  # the fixture, under its own name for pytest

# Bookkeeping that a read legitimately writes, and why. Business data is never listed here.
BOOKKEEPING_TABLES = {
    "django_session": "the session's own expiry and activity",
    "security_usersession": "the session's own expiry and activity",
    "security_ratelimitcounter": "rate-limit counts of the requests themselves",
    "axes_accesslog": "sign-in access log",
    "observability_sharedcounter": "monitoring counters",
    "observability_knownaddress": "monitoring: addresses a user signs in from",
    "observability_resourcesample": "monitoring samples",
    "observability_workerheartbeat": "worker liveness",
    "observability_securityevent": "detection log of suspicious requests (e.g. 404 bursts)",
    "observability_alert": "alerts raised by that detection",
    "observability_alertdelivery": "deliveries of those alerts",
}


def snapshot() -> dict[str, tuple[int, str]]:
    """(row count, checksum of every row) for every table of every installed model."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if table in BOOKKEEPING_TABLES or model._meta.proxy or not model._meta.managed:
            continue
        fields = [f.attname for f in model._meta.concrete_fields]
        rows = list(model._base_manager.order_by("pk").values_list(*fields))
        digest = hashlib.sha256(repr(rows).encode()).hexdigest()
        state[table] = (len(rows), digest)
    return state


def changed(before: dict, after: dict) -> list[str]:
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))


def test_no_get_request_changes_any_row(world, client_for, token_for):
    session_client = client_for(world.owner)
    session_client.get("/")  # the first request may finish setting up the session
    before = snapshot()
    assert "accounts_user" in before
    assert "core_auditentry" in before
    crawled = []
    for route in all_routes():
        path = route.fill(values_for(route, world.rooftop))
        for client in (session_client, Client()):
            response = client.get(path)
            assert response.status_code < 500, f"GET {path}: {response.status_code}"
            after = snapshot()
            assert not changed(before, after), f"GET {path} changed {changed(before, after)}"
        crawled.append(path)
    assert len(crawled) == len(all_routes())
