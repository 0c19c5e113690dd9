"""Idempotency keys for API writes: a retried request gets the first response again.

The client sends `Idempotency-Key: <unique string>` with a POST. The first request's key row
is inserted in the same transaction as the write, so a concurrent duplicate (another app
process) waits on the unique index and then replays the stored response; if the write fails,
the key row rolls back with it and the client may retry. The same key with a different body
is refused (422). Keys belong to the user who sent them (core.IdempotencyKey).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import orjson
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from ninja.errors import HttpError

from forecourt.core.api_responses import json_response, to_json_bytes
from forecourt.core.models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


def request_fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}\n".encode())
    digest.update(request.body)
    return digest.hexdigest()


def idempotent(
    request: HttpRequest, run: Callable[[], tuple[int, Any, dict[str, str]]]
) -> HttpResponse:
    """Run `run` (returning status, JSON body, headers) at most once per key and user."""
    user: Any = request.user
    key = request.headers.get(HEADER, "").strip()
    if not key:
        status, body, headers = run()
        return json_response(body, status, headers)
    if len(key) > MAX_KEY_LENGTH:
        raise HttpError(400, f"{HEADER} is longer than {MAX_KEY_LENGTH} characters.")
    fingerprint = request_fingerprint(request)
    with transaction.atomic():
        try:
            # A concurrent twin blocks here until this transaction ends, then replays.
            with transaction.atomic():
                record = IdempotencyKey.objects.create(user=user, key=key, request_hash=fingerprint)
        except IntegrityError:
            return _replay(request, key, fingerprint)
        status, body, headers = run()
        record.response_status = status
        record.response_body = to_json_bytes({"body": body, "headers": headers})
        record.save(update_fields=["response_status", "response_body"])
    return json_response(body, status, headers)


def _replay(request: HttpRequest, key: str, fingerprint: str) -> HttpResponse:
    user: Any = request.user
    record = IdempotencyKey.objects.filter(user=user, key=key).first()
    if record is None or not record.response_status:
        raise HttpError(409, "A request with this Idempotency-Key is still being processed.")
    if record.request_hash != fingerprint:
        raise HttpError(
            422, f"This {HEADER} was already used with a different request; use a new key."
        )
    stored = orjson.loads(bytes(record.response_body))
    headers = {**stored["headers"], "Idempotent-Replayed": "true"}
    return json_response(stored["body"], record.response_status, headers)
