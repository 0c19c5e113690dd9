"""Pages of the UI shell: dashboard, audit log and error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from forecourt.core.dashboard import panels_for
from forecourt.core.models import AuditEntry


def dashboard(request: HttpRequest) -> HttpResponse:
    # Every panel, the user's rooftops first, comes from its app's registration.
    return render(request, "core/dashboard.html", {"panels": panels_for(request)})


@permission_required("core.view_auditentry", raise_exception=True)
def audit_list(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.for_user(request.user, "view").select_related("rooftop")
    object_type = request.GET.get("object_type", "").strip()
    if object_type:
        entries = entries.filter(object_type=object_type)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_list.html", {"page": page, "object_type": object_type})


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the database may be what failed.
    from django.template import loader

    template = loader.get_template("500.html")
    body = template.render({"request_id": getattr(request, "request_id", "")})
    return HttpResponse(body, status=500)
