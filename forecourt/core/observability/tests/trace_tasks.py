"""A task for the tracing tests (tasks must live at module level)."""

import structlog
from django.tasks import task

from forecourt.core.request_context import current_request_id

logger = structlog.get_logger("forecourt.tests.trace")


@task()
def note_request_id(marker: str) -> str:
    logger.info("traced task ran", marker=marker)
    return current_request_id()
