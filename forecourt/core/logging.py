"""Structured logging with structlog: readable lines in development, one JSON object per
line in production, both on stdout.

Every line carries the request id (of the request or task being handled) and passes
through redaction, so passwords, tokens, cookies and sensitive customer fields never
reach the output. Standard-library loggers (Django's, other apps') go through the same
processors; their `extra={...}` fields become keys of the line.
"""

from __future__ import annotations

from typing import Any

import orjson
import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

from forecourt.core.request_context import current_request_id

# Keys the pipeline itself writes; never redacted.
_OWN_KEYS = frozenset({"event", "timestamp", "level", "logger", "request_id", "exception"})
# Of those, the ones whose values the pipeline writes too (a time, a level, a logger name,
# a well-formed request id): nothing in them to scrub. The event and exception text may
# quote anything, so their values are scrubbed.
_OWN_VALUES = frozenset({"timestamp", "level", "logger", "request_id"})


def add_request_id(logger: WrappedLogger, method_name: str, event_dict: EventDict) -> EventDict:
    event_dict.setdefault("request_id", current_request_id() or "-")
    return event_dict


def redact_event(logger: WrappedLogger, method_name: str, event_dict: EventDict) -> EventDict:
    from forecourt.core.observability.redaction import REDACTED, is_sensitive_key, redact

    for key, value in list(event_dict.items()):
        if key in _OWN_VALUES:
            continue
        if key not in _OWN_KEYS and is_sensitive_key(key):
            event_dict[key] = REDACTED
        else:
            event_dict[key] = redact(value)
    return event_dict


def _shared_processors() -> list[Processor]:
    return [
        structlog.contextvars.merge_contextvars,
        add_request_id,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True, key="timestamp"),
    ]


# The access log's bookkeeping keys: kept in JSON (for dashboards), left out of the console
# line a developer reads, which says "GET /inventory/ 200 12 ms" instead.
_REQUEST_DETAIL_KEYS = (
    "route",
    "client_ip",
    "response_bytes",
    "db_queries",
    "db_time_ms",
    "rooftop",
    "user_id",
)


def summarise_for_console(
    logger: WrappedLogger, method_name: str, event_dict: EventDict
) -> EventDict:
    """One short line for a person at a terminal: the access log as "METHOD path status
    duration", the clock time only, and no request id when there is none."""
    if event_dict.get("event") == "request" and {"method", "path", "status"} <= event_dict.keys():
        duration = event_dict.pop("duration_ms", None)
        event_dict["event"] = " ".join(
            str(part)
            for part in (
                event_dict.pop("method"),
                event_dict.pop("path"),
                event_dict.pop("status"),
                f"{duration:.0f} ms" if isinstance(duration, int | float) else "",
            )
            if part != ""
        )
        for key in _REQUEST_DETAIL_KEYS:
            event_dict.pop(key, None)
    if event_dict.get("request_id") == "-":
        del event_dict["request_id"]
    timestamp = event_dict.get("timestamp")
    if isinstance(timestamp, str) and "T" in timestamp:
        event_dict["timestamp"] = timestamp.split("T", 1)[1][:8]  # HH:MM:SS (UTC)
    return event_dict


def _json_dumps(value: Any, **kwargs: Any) -> str:
    return orjson.dumps(value, default=str).decode()


def build_formatter(log_format: str) -> structlog.stdlib.ProcessorFormatter:
    """JSON (one object a line, every key) or, for development, one readable line."""
    rendering: list[Processor]
    if log_format == "json":
        rendering = [structlog.processors.JSONRenderer(serializer=_json_dumps)]
    else:
        rendering = [
            summarise_for_console,
            structlog.dev.ConsoleRenderer(colors=False, pad_event_to=0, pad_level=False),
        ]
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[structlog.stdlib.ExtraAdder(), *_shared_processors()],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            redact_event,
            *rendering,
        ],
    )


def configure_structlog() -> None:
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_shared_processors(),
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def logging_config(level: str, log_format: str) -> dict[str, Any]:
    """settings.LOGGING; also configures structlog to feed the same handler."""
    configure_structlog()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {"()": build_formatter, "log_format": log_format},
        },
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "structured",
            }
        },
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            "django": {"level": level, "propagate": True},
            # Our access log (forecourt.request) has one line per request; Django's own
            # per-request lines would repeat it. Server errors still log with the traceback.
            "django.request": {"level": "ERROR", "propagate": True},
            "django.server": {"level": "ERROR", "propagate": True},
            # Tasks log their own "task finished" line with the request id.
            "django.tasks": {"level": "WARNING", "propagate": True},
        },
    }


def get_logger(name: str) -> Any:
    """A structlog logger (keyword fields become keys of the line)."""
    return structlog.get_logger(name)
