"""One documented error shape for every API response that is not a success.

{"error": {"code": "not_found", "message": "...", "request_id": "...", "fields": [...]}}
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
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
    405: "method_not_allowed",
    409: "conflict",
    412: "precondition_failed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}

# What an answer that never reached an operation (no such path, wrong method, a middleware's
# refusal, a crash outside ninja) says, by status, in the API's shape.
_EDGE_MESSAGES = {
    400: "Malformed request.",
    403: "You do not have permission to do this.",
    404: "Not found: no API operation at this path.",
    413: "The request body is too large.",
    500: "Internal error. Quote the request id when reporting it.",
    503: "The service is unavailable right now; retry shortly.",
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


API_PATH_PREFIX = "/api/"


class ApiErrorShapeMiddleware:
    """Every error under /api/ in the API's one shape, whoever produced it.

    Ninja's exception handlers shape the errors of the operations themselves; this catches
    the rest on both lanes: an unknown path (Django's 404 page), a wrong method (ninja's plain
    text 405), a crash outside an operation (the HTML 500 page), a refusal by a middleware
    before the API is reached. Status and headers (Allow, Retry-After) are kept.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith(API_PATH_PREFIX)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        status = response.status_code
        if status == 405:
            message = f"{request.method} is not allowed here. Allowed: {response.get('Allow', '')}."
        else:
            message = _EDGE_MESSAGES.get(status, "The request was refused.")
        shaped = JsonResponse(error_body(request, status, message), status=status)
        for header, value in response.items():
            if header.lower() not in {"content-type", "content-length"}:
                shaped[header] = value
        return shaped


def describe_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Give every documented error response its description in the OpenAPI document."""
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            for status, response in operation.get("responses", {}).items():
                if int(status) in _DESCRIPTIONS:
                    response["description"] = _DESCRIPTIONS[int(status)]
    return schema
