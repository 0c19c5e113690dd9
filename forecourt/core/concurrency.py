"""Optimistic concurrency for API writes: a client sends back the version it read.

Every editable record has a `version` (incremented by its actions) and answers reads with
`ETag: "<version>"`. A write names the version it is based on, either as `If-Match: "3"`
(a stale one answers 412 Precondition Failed) or as `version` in the body (409 Conflict),
so a stale update is refused and never silently overwrites someone else's change.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja.errors import HttpError

from forecourt.core.api_errors import as_api_error

STALE_IF_MATCH = 412
STALE_BODY_VERSION = 409


class VersionConflict(Exception):
    """The record changed since the caller read it. Each app's actions raise this (or a
    subclass naming the record) so one API wrapper (`core.api_writes.run_action`) and one
    form helper answer it the same way everywhere."""

    record_name = "record"

    def __init__(self, current_version: int) -> None:
        self.current_version = current_version
        super().__init__(
            f"The {self.record_name} was changed by someone else (now version "
            f"{current_version}). Reload it and apply your change again."
        )


def if_match_version(request: HttpRequest) -> int | None:
    """The version in an optional If-Match header (None when there is none)."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        return None
    try:
        return int(header.removeprefix("W/").strip('"'))
    except ValueError:
        raise HttpError(400, 'If-Match must be the ETag you read, e.g. "3".') from None


def expected_version(request: HttpRequest, body_version: int | None) -> tuple[int, int]:
    """(version, status for a mismatch) for a write that must name the version it read."""
    version = if_match_version(request)
    if version is not None:
        return version, STALE_IF_MATCH
    if body_version is not None:
        return body_version, STALE_BODY_VERSION
    raise as_api_error(
        ValidationError({"version": "Send the version you read (If-Match header or version)."})
    )
