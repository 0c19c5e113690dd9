"""Cross-cutting request middleware: request id and client IP for every request."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from forecourt.core.net import check_forwarding, client_ip
from forecourt.core.request_context import client_ip_var, request_id_var

REQUEST_ID_HEADER = "X-Request-ID"
# Accept a caller's id only when it is short and plain, so it is safe in logs and headers.
_WELL_FORMED_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


class RequestIdMiddleware:
    """Give each request an id (reusing a well-formed incoming X-Request-ID)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _WELL_FORMED_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        request.client_ip = client_ip(request)  # type: ignore[attr-defined]
        check_forwarding(request)
        id_token = request_id_var.set(request_id)
        ip_token = client_ip_var.set(request.client_ip)  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(id_token)
            client_ip_var.reset(ip_token)
        response[REQUEST_ID_HEADER] = request_id
        return response
