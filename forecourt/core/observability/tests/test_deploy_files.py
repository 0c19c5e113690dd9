"""The Grafana dashboard and Prometheus rules only use metrics Forecourt exposes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from forecourt.core.observability import metrics

ROOT = Path(__file__).resolve().parents[4]
SCRAPE_TIME = {
    "forecourt_build_info",
    "forecourt_task_queue_depth",
    "forecourt_task_queue_oldest_seconds",
    "forecourt_tasks_finished_last_hour",
    "forecourt_worker_heartbeat_age_seconds",
    "forecourt_disk_free_bytes",
    "forecourt_disk_free_percent",
    "forecourt_last_backup_age_seconds",
    "forecourt_vehicles",
    "forecourt_deals_today",
}


def _exposed() -> set[str]:
    names = set(SCRAPE_TIME)
    for value in vars(metrics).values():
        name = getattr(value, "_name", None)
        if isinstance(name, str) and name.startswith("forecourt_"):
            kind = getattr(value, "_type", "")
            names.add(f"{name}_total" if kind == "counter" else name)
    return names


def _used(text: str) -> set[str]:
    names = set(re.findall(r"forecourt_[a-z_]+", text))
    return {re.sub(r"_(bucket|count|sum)$", "", n) for n in names} - {"forecourt_overview"}


def test_alert_rules_use_exposed_metrics():
    rules = yaml.safe_load((ROOT / "deploy/prometheus/alerts.yml").read_text())
    exprs = " ".join(rule["expr"] for group in rules["groups"] for rule in group["rules"])
    assert _used(exprs)
    assert _used(exprs) <= _exposed()


def test_dashboard_plots_exposed_metrics():
    dashboard = json.loads((ROOT / "deploy/grafana/forecourt-dashboard.json").read_text())
    exprs = " ".join(t["expr"] for panel in dashboard["panels"] for t in panel["targets"])
    assert _used(exprs) <= _exposed()
    assert {"forecourt_http_requests_total", "forecourt_task_queue_depth"} <= _used(exprs)
