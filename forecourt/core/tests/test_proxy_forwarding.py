"""TRUSTED_PROXY_HOPS set but no proxy in front: warned once (issue 19, finding 11)."""

from __future__ import annotations

import logging

import pytest
from django.test import Client

from forecourt.core import net
from forecourt.core.observability.models import SecurityEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_proxy_hop(settings):
    settings.FORECOURT_TRUSTED_PROXY_HOPS = 1
    net.reset_forwarding_warning()
    yield
    net.reset_forwarding_warning()


def _events():
    return SecurityEvent.objects.filter(kind=net.PROXY_FORWARDING_MISSING)


def test_requests_without_the_proxys_header_warn_once(one_proxy_hop, caplog):
    caplog.set_level(logging.WARNING, logger="forecourt.security")
    Client().get("/accounts/login/", REMOTE_ADDR="203.0.113.9")
    Client().get("/accounts/login/", REMOTE_ADDR="203.0.113.10")
    [event] = _events()
    assert event.level == "error"
    assert event.details["trusted_proxy_hops"] == 1
    assert event.details["forwarded_entries"] == 0
    warnings = [
        r for r in caplog.records if getattr(r, "event", "") == net.PROXY_FORWARDING_MISSING
    ]
    assert len(warnings) == 1
    assert "TRUSTED_PROXY_HOPS=1" in warnings[0].getMessage()


def test_requests_through_the_proxy_and_direct_probes_do_not_warn(one_proxy_hop):
    Client().get("/accounts/login/", HTTP_X_FORWARDED_FOR="198.51.100.7")
    Client().get("/health/live")
    Client().get("/health/ready")
    assert not _events().exists()


def test_no_proxy_configured_no_warning(settings):
    settings.FORECOURT_TRUSTED_PROXY_HOPS = 0
    net.reset_forwarding_warning()
    Client().get("/accounts/login/")
    assert not _events().exists()
