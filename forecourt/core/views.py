"""Pages of the UI shell: dashboard, audit log and error pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from forecourt.core import audit_display
from forecourt.core.dashboard import panels_for
from forecourt.core.models import AuditEntry


def dashboard(request: HttpRequest) -> HttpResponse:
    # Every panel, the user's rooftops first, comes from its app's registration.
    return render(request, "core/dashboard.html", {"panels": panels_for(request)})


@permission_required("core.view_auditentry", raise_exception=True)
def audit_list(request: HttpRequest) -> HttpResponse:
    visible = AuditEntry.objects.for_user(request.user, "view")
    entries = visible.select_related("rooftop", "actor")
    object_type = request.GET.get("object_type", "").strip()
    if object_type:
        entries = entries.filter(object_type=object_type)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    # A rooftop the viewer works at gives the time zone of entries that have none.
    user: Any = request.user  # core stays below accounts: the user's rooftops by relation
    own_rooftop = user.rooftops.order_by("pk").first()
    rows = audit_display.present(
        page.object_list,
        fallback_time_zone=own_rooftop.time_zone if own_rooftop else settings.TIME_ZONE,
    )
    types = visible.order_by().values_list("object_type", flat=True).distinct()
    context = {
        "page": page,
        "rows": rows,
        "object_type": object_type,
        "object_types": audit_display.object_type_choices(types),
    }
    return render(request, "core/audit_list.html", context)


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
