"""Test helpers: customers created through the action, with distinct contact details."""

from __future__ import annotations

import itertools
from typing import Any

from forecourt.customers import actions
from forecourt.customers.models import Customer

_serial = itertools.count(1)


def unique_phone() -> str:
    """A valid US mobile number no other test customer has (555-01xx are fictional)."""
    n = next(_serial)
    return f"+1415{2000000 + n:07d}"


def make_customer(actor: Any, rooftop: Any, **data: Any) -> Customer:
    n = next(_serial)
    defaults: dict[str, Any] = {
        "first_name": "Ana",
        "last_name": f"Diaz{n}",
        "mobile_phone": unique_phone(),
        "email": f"ana{n}@example.com",
    }
    allow_duplicate = data.pop("allow_duplicate", False)
    return actions.create_customer(
        actor, rooftop, {**defaults, **data}, allow_duplicate=allow_duplicate
    )


class ApiClient:
    """The JSON API as one user, through an API token."""

    def __init__(self, user: Any, raw_token: str) -> None:
        from django.test import Client

        from forecourt.core.testing import bearer

        self.user = user
        self.client = Client()
        self.headers = bearer(raw_token)

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, **self.headers)

    def send(self, method: str, path: str, body: Any = None, **extra: Any) -> Any:
        import json

        return getattr(self.client, method)(
            f"/api/v1{path}",
            json.dumps(body) if body is not None else None,
            content_type="application/json",
            **self.headers,
            **extra,
        )
