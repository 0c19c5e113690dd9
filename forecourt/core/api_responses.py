"""JSON answers built straight from dicts with orjson (no schema instance per row).

Hot read endpoints and writes that already hold plain values use this; the endpoint's
`response=` declaration still documents the shape in OpenAPI.
"""

from __future__ import annotations

from typing import Any

import orjson
from django.http import HttpResponse


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Any:
    return HttpResponse(
        orjson.dumps(body, default=str),  # Decimal -> "19995.00"
        status=status,
        content_type="application/json",
        headers=headers,
    )
