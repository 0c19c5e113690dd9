"""Health endpoints for load balancers and orchestrators.

/health/live says the process answers (no dependencies), /health/ready says it can
serve: database reachable, migrations applied, cache reachable when configured.

Anyone (a load balancer, an orchestrator) gets the answer: 200 `ok` or 503 `fail`. The
details (version, each check with its reason: worker heartbeat, backup age, free disk) go
only to the metrics credential (METRICS_TOKEN or METRICS_ALLOWED_IPS) or a signed-in,
MFA-verified user who may see the system status page: they tell an attacker what to hit.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from forecourt import __version__
from forecourt.core.security.mfa import is_verified

# Who may read the checks' details besides the metrics credential (the System status page).
STATUS_PERMISSION = "observability.view_system_status"


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_migrations() -> None:
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        raise RuntimeError(f"{len(pending)} migration(s) not applied")


def check_cache() -> None:
    cache.set("forecourt:health", "ok", timeout=10)
    if cache.get("forecourt:health") != "ok":
        raise RuntimeError("cache did not return the value just written")


def readiness_checks() -> dict[str, Callable[[], object]]:
    checks: dict[str, Callable[[], object]] = {
        "database": check_database,
        "migrations": check_migrations,
    }
    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        checks["cache"] = check_cache
    # Task worker heartbeat, disk space of data folders, age of the last good backup.
    from forecourt.core.observability.status import readiness_checks as monitoring_checks

    checks.update(monitoring_checks())
    return checks


def run_checks(
    checks: dict[str, Callable[[], object]],
) -> tuple[bool, dict[str, dict[str, object]]]:
    results: dict[str, dict[str, object]] = {}
    for name, check in checks.items():
        started = time.perf_counter()
        try:
            note = check()
        except Exception as error:
            # The reason is for operators; it names the failure, never credentials.
            results[name] = {"status": "fail", "error": type(error).__name__ + ": " + str(error)}
        else:
            results[name] = {"status": "ok"}
            if isinstance(note, str):
                results[name]["detail"] = note
        results[name]["latency_ms"] = round((time.perf_counter() - started) * 1000, 2)
    return all(r["status"] == "ok" for r in results.values()), results


@login_not_required
@never_cache
@require_GET
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok", "version": __version__})


def may_see_details(request: HttpRequest) -> bool:
    # observability.views imports this module (its status page runs these checks): a cycle.
    from forecourt.core.observability.conf import monitoring
    from forecourt.core.observability.views import metrics_access_allowed

    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.has_perm(STATUS_PERMISSION):
        return is_verified(user)
    return metrics_access_allowed(request, monitoring())


@login_not_required
@never_cache
@require_GET
def ready(request: HttpRequest) -> JsonResponse:
    healthy, results = run_checks(readiness_checks())
    if not healthy:
        from forecourt.core.observability.alerts import alert_unhealthy

        alert_unhealthy(results)
    body: dict[str, object] = {"status": "ok" if healthy else "fail"}
    if may_see_details(request):
        body.update(version=__version__, checks=results)
    return JsonResponse(body, status=200 if healthy else 503)
