"""One documented error shape for every API response that is not a success.

{"error": {"code": "not_found", "message": "...", "request_id": "...", "fields": [...]}}
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

logger = logging.getLogger("forecourt.api")


class FieldError(Schema):
    field: str
    message: str


class ErrorDetail(Schema):
    code: str
    message: str
    request_id: str
    fields: list[FieldError] = []


class ErrorResponse(Schema):
    error: ErrorDetail


_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    409: "conflict",
    412: "precondition_failed",
    422: "validation_error",
    429: "rate_limited",
    500: "server_error",
}

_DESCRIPTIONS = {
    400: "Malformed request",
    401: "Missing, invalid or expired credentials",
    403: "The caller's role, rooftop or token scope does not allow this",
    404: "No such object among those the caller may see",
    409: "The request conflicts with the object's current state",
    412: "The object changed since it was read",
    422: "Input failed validation; `fields` says which and why",
    429: "Too many requests; retry after the Retry-After header's seconds",
}

# 422 on reads: a malformed path or query parameter; 400 on writes: a body that is not JSON.
READ_ERRORS = (401, 403, 404, 422)
WRITE_ERRORS = (400, 401, 403, 404, 409, 422)


def error_responses(*statuses: int) -> dict[int, type[ErrorResponse]]:
    """The `response=` entries that document the error statuses an operation can return."""
    return dict.fromkeys(statuses, ErrorResponse)


def error_body(
    request: HttpRequest, status: int, message: str, fields: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    return {
        "error": {
            "code": _CODES.get(status, "error"),
            "message": message,
            "request_id": getattr(request, "request_id", ""),
            "fields": fields or [],
        }
    }


def as_api_error(error: DjangoValidationError) -> ValidationError:
    """An action's ValidationError as the API's 422 with field messages."""
    return ValidationError(
        [
            {"loc": ("body", "payload", field), "msg": message}
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    )


def _field_name(loc: list[Any] | tuple[Any, ...]) -> str:
    # ninja prefixes locations with the parameter source and name ("body", "payload").
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form"}:
        parts = parts[2:] if len(parts) > 2 else parts[1:]
    return ".".join(parts) or "__all__"


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(
        request: HttpRequest, status: int, message: str, fields: list[dict[str, str]] | None = None
    ) -> HttpResponse:
        return api.create_response(
            request, error_body(request, status, message, fields), status=status
        )

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields = [
            {"field": _field_name(e.get("loc", ())), "message": str(e.get("msg", "invalid"))}
            for e in exc.errors
        ]
        return respond(request, 422, "The input is not valid.", fields)

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(request, 401, "Authentication required: a valid API token or session.")

    @api.exception_handler(PermissionDenied)
    def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, str(exc) or "You do not have permission to do this.")

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, "Not found.")

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return respond(request, exc.status_code, str(exc.message))

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("Unhandled API error", extra={"path": request.path})
        return respond(request, 500, "Internal error. Quote the request id when reporting it.")


def describe_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Give every documented error response its description in the OpenAPI document."""
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            for status, response in operation.get("responses", {}).items():
                if int(status) in _DESCRIPTIONS:
                    response["description"] = _DESCRIPTIONS[int(status)]
    return schema
