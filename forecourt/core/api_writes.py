"""The API's write wrapper: an action's refusals as the documented API errors.

Every API write calls its action through `run_action`, so a `ValidationError` is always a
422 with field messages and a stale version is always the status the caller's way of naming
the version asks for (412 for If-Match, 409 for a body `version`; core/concurrency.py).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from ninja.errors import HttpError

from forecourt.core.api_errors import as_api_error
from forecourt.core.concurrency import STALE_BODY_VERSION, VersionConflict


def run_action[T](write: Callable[[], T], mismatch_status: int = STALE_BODY_VERSION) -> T:
    """Run `write` (a closure over one action call) and translate what actions raise."""
    try:
        return write()
    except ValidationError as error:
        raise as_api_error(error) from None
    except VersionConflict as conflict:
        raise HttpError(mismatch_status, str(conflict)) from None
