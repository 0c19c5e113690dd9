"""Idempotency keys for API writes: a retried request gets the first response again.

The client sends `Idempotency-Key: <unique string>` with a POST. The first request's key row
is inserted in the same transaction as the write, so a concurrent duplicate (another app
process) waits on the unique index and then replays the stored response; if the write fails,
the key row rolls back with it and the client may retry. The same key with a different body
is refused (422). Keys belong to the user who sent them (core.IdempotencyKey).

A stored response can hold personal data (a created customer's name, email, address), so a
key lives for KEY_LIFETIME only: an expired key is never replayed (the same key starts a new
request) and the scheduled job `core.purge_idempotency_keys` deletes expired rows. A caller
whose response holds someone's data names that subject (`subject_of`); disposing of the
subject (customers' retention) calls `forget_subjects` to delete its keys at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

import orjson
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja.errors import HttpError

from forecourt.core.api_responses import json_response, to_json_bytes
from forecourt.core.models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
KEY_LIFETIME = timedelta(hours=24)


def subject_of(model: type[Model] | Model | str, pk: object) -> str:
    """The subject label of one object: "customers.customer:42"."""
    label = model if isinstance(model, str) else model._meta.label_lower
    return f"{label}:{pk}"


def expiry_cutoff() -> Any:
    return timezone.now() - KEY_LIFETIME


def purge_expired_keys() -> int:
    """The scheduled job: delete every key older than KEY_LIFETIME; returns how many."""
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=expiry_cutoff()).delete()
    return deleted


def forget_subjects(subjects: Iterable[str]) -> int:
    """Delete the keys whose stored responses hold these subjects' data (disposal)."""
    deleted, _ = IdempotencyKey.objects.filter(subject__in=list(subjects)).delete()
    return deleted


def request_fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}\n".encode())
    digest.update(request.body)
    return digest.hexdigest()


def idempotent(
    request: HttpRequest,
    run: Callable[[], tuple[int, Any, dict[str, str]]],
    *,
    subject: Callable[[Any], str] | None = None,
) -> HttpResponse:
    """Run `run` (returning status, JSON body, headers) at most once per key and user.

    `subject(body)` names whose personal data the stored response holds (`subject_of`), so
    disposing of them deletes the key too; "" for none."""
    user: Any = request.user
    key = request.headers.get(HEADER, "").strip()
    if not key:
        status, body, headers = run()
        return json_response(body, status, headers)
    if len(key) > MAX_KEY_LENGTH:
        raise HttpError(400, f"{HEADER} is longer than {MAX_KEY_LENGTH} characters.")
    fingerprint = request_fingerprint(request)
    with transaction.atomic():
        # An expired key is gone, even before the purge job has run: never replayed.
        IdempotencyKey.objects.filter(user=user, key=key, created_at__lt=expiry_cutoff()).delete()
        try:
            # A concurrent twin blocks here until this transaction ends, then replays.
            with transaction.atomic():
                record = IdempotencyKey.objects.create(user=user, key=key, request_hash=fingerprint)
        except IntegrityError:
            return _replay(request, key, fingerprint)
        status, body, headers = run()
        record.response_status = status
        record.response_body = to_json_bytes({"body": body, "headers": headers})
        record.subject = (subject(body) if subject and status < 300 else "")[:100]
        record.save(update_fields=["response_status", "response_body", "subject"])
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
