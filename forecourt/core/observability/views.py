"""/metrics for Prometheus, the System status page and the security events page."""

from __future__ import annotations

import contextlib
import hmac
import ipaddress
import os
import platform
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from forecourt import __version__
from forecourt.core.health import readiness_checks, run_checks
from forecourt.core.observability import metrics, status
from forecourt.core.observability.conf import MonitoringSettings, monitoring
from forecourt.core.observability.models import Alert, ResourceSample, SecurityEvent
from forecourt.core.observability.resources import collect_sample


def metrics_access_allowed(request: HttpRequest, conf: MonitoringSettings) -> bool:
    """A matching bearer token, or a client IP inside METRICS_ALLOWED_IPS."""
    header = request.headers.get("Authorization", "")
    if conf.metrics_token and header.startswith("Bearer "):
        offered = header.removeprefix("Bearer ").strip()
        if hmac.compare_digest(offered.encode(), conf.metrics_token.encode()):
            return True
    ip = getattr(request, "client_ip", None)
    if ip and conf.metrics_allowed_ips:
        address = ipaddress.ip_address(ip)
        return any(
            address in ipaddress.ip_network(network, strict=False)
            for network in conf.metrics_allowed_ips
        )
    return False


@login_not_required
@never_cache
@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not metrics_access_allowed(request, monitoring()):
        response = HttpResponse("Metrics need a bearer token or an allowed address.\n", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        response["Content-Type"] = "text/plain; charset=utf-8"
        return response
    body, content_type = metrics.exposition()
    return HttpResponse(body, content_type=content_type)


def _safe(fn: Any, default: Any = None) -> Any:
    """Status page sections fail alone: one broken dependency must not hide the others."""
    try:
        return fn()
    except Exception as error:
        return {"error": f"{type(error).__name__}: {error}"} if default is None else default


def _recent_task_failures() -> list[dict[str, Any]]:
    if not status.uses_task_database():
        return []
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(status="FAILED").order_by("-finished_at")[:10]
    return [
        {
            "finished_at": row.finished_at,
            "task": row.task_path,
            "error": row.exception_class_path,
        }
        for row in rows
    ]


def _current_sample() -> dict[str, Any]:
    sample = _safe(collect_sample)
    if "process" not in sample:
        return {"process": None, "disks": {}, "db_connections": None, "error": sample["error"]}
    return {**sample, "error": ""}


@permission_required("observability.view_system_status", raise_exception=True)
@never_cache
def system_status(request: HttpRequest) -> HttpResponse:
    healthy, checks = run_checks(readiness_checks())
    since = timezone.now() - timedelta(hours=24)
    context = {
        "version": __version__,
        "environment": settings.FORECOURT_ENV,
        "python": platform.python_version(),
        "host": platform.node(),
        "pid": os.getpid(),
        "uptime": timedelta(seconds=int(time.time() - metrics.started_at())),
        "healthy": healthy,
        "checks": {
            name: {
                "status": r["status"],
                "note": r.get("error") or r.get("detail") or "",
                "latency_ms": r["latency_ms"],
            }
            for name, r in checks.items()
        },
        "recent_errors": Alert.objects.filter(level__in=["error", "critical"])
        .prefetch_related("deliveries")
        .order_by("-created_at")[:15],
        "task_failures": _safe(_recent_task_failures, default=[]),
        "last_backup": _safe(status.last_successful_backup, default=None),
        "queue": _safe(status.queue_depth, default={}) if status.uses_task_database() else None,
        "task_outcomes": _safe(status.task_outcomes_last_hour, default={})
        if status.uses_task_database()
        else None,
        "heartbeat": status.last_worker_heartbeat(),
        "sample": _current_sample(),
        "worker_samples": ResourceSample.objects.all()[:5],
        "security_counts": SecurityEvent.objects.filter(created_at__gte=since)
        .values("kind")
        .annotate(count=Count("id"))
        .order_by("-count"),
    }
    return render(request, "observability/status.html", context)


@permission_required("observability.view_securityevent", raise_exception=True)
@require_GET
def security_events(request: HttpRequest) -> HttpResponse:
    events = SecurityEvent.objects.select_related("user")
    kind = request.GET.get("kind", "").strip()
    query = request.GET.get("q", "").strip()
    start = parse_date(request.GET.get("from", "") or "")
    end = parse_date(request.GET.get("to", "") or "")
    if kind:
        events = events.filter(kind=kind)
    if query:
        match = Q(user_label__icontains=query) | Q(request_id=query)
        with contextlib.suppress(ValueError):
            match |= Q(ip_address=str(ipaddress.ip_address(query)))
        events = events.filter(match)
    if start:
        events = events.filter(created_at__date__gte=start)
    if end:
        events = events.filter(created_at__date__lte=end)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    kinds = SecurityEvent.objects.order_by("kind").values_list("kind", flat=True).distinct()
    filters = {"kind": kind, "q": query, "from": start or "", "to": end or ""}
    return render(
        request,
        "observability/security_events.html",
        {"page": page, "kinds": kinds, "filters": filters},
    )
