"""Summarise a bench run: wrk and pgbench numbers, ratios, query counts, EXPLAIN plans.

Writes <run>/summary.json, <run>/summary.md, and the results section of docs/performance.md
(between the bench markers; not with --no-docs).
Usage: python bench/report.py bench/results/<run> <connections> [--no-docs]
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path
from typing import Any

RUN = Path(sys.argv[1])
CONNECTIONS = int(sys.argv[2]) if len(sys.argv) > 2 else 16
WRITE_DOCS = "--no-docs" not in sys.argv
DOC = Path("docs/performance.md")
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
SCENARIOS = [
    "search_page1",
    "search_page2_5",
    "search_deep",
    "detail_id",
    "detail_vin",
    "stock_prefix",
    "vin_tail",
    "update_price",
    "mix",
    "bare_view",  # bench/bare_view.py: page 1's SQL in a bare Django view
]
# The SQL a scenario's floor runs, where it is another scenario's.
FLOOR_OF = {"bare_view": "search_page1"}


def pgbench(name: str, connections: int) -> dict[str, Any] | None:
    folder = RUN / f"pgbench_log_{name}_c{connections}"
    latencies: list[float] = []
    for log in folder.glob("pgbench_log.*"):
        for line in log.read_text().splitlines():
            parts = line.split()
            if len(parts) >= 3:
                latencies.append(int(parts[2]) / 1000)
    text = RUN / f"pgbench_{name}_c{connections}.txt"
    if not latencies or not text.exists():
        return None
    tps = next(
        (
            float(line.split()[2])
            for line in text.read_text().splitlines()
            if line.startswith("tps")
        ),
        0.0,
    )
    latencies.sort()
    q = statistics.quantiles(latencies, n=100)
    return {"rps": tps, "p50_ms": q[49], "p90_ms": q[89], "p99_ms": q[98]}


def wrk(name: str, connections: int) -> dict[str, Any] | None:
    path = RUN / f"wrk_{name}_c{connections}.json"
    return json.loads(path.read_text()) if path.exists() and path.stat().st_size else None


def cpu(name: str, connections: int) -> dict[str, int] | None:
    """CPU µs per request by process group (bench/cpu_share.py)."""
    path = RUN / f"cpu_{name}_c{connections}.json"
    if not path.exists() or not path.stat().st_size:
        return None
    return json.loads(path.read_text())["cpu_us_per_request"]


def main() -> None:
    queries = json.loads((RUN / "queries.json").read_text())
    explain = json.loads((RUN / "explain.json").read_text())
    rows = []
    for name in SCENARIOS:
        for connections in (CONNECTIONS, 1):
            app = wrk(name, connections)
            if app is None:
                continue
            floor = pgbench(FLOOR_OF.get(name, name), connections)
            rows.append(
                {
                    "scenario": name,
                    "connections": connections,
                    "app": app,
                    "cpu": cpu(name, connections),
                    "floor": floor,
                    "ratio": round(app["rps"] / floor["rps"], 3)
                    if floor and floor["rps"]
                    else None,
                    "queries": queries.get(name, {}).get("queries"),
                }
            )
    summary = {
        "run": RUN.name,
        "load": (RUN / "load.txt").read_text().strip() if (RUN / "load.txt").exists() else "",
        "visibility": (RUN / "visibility.txt").read_text().strip(),
        "load_average": (RUN / "load_average.txt").read_text().strip()
        if (RUN / "load_average.txt").exists()
        else "not recorded",
        "server": (RUN / "server.txt").read_text().strip()
        if (RUN / "server.txt").exists()
        else "gunicorn",
        "rows": rows,
    }
    (RUN / "summary.json").write_text(json.dumps(summary, indent=2))
    lines = [
        f"Run `{RUN.name}` (server: {summary['server']}; {summary['load']}; "
        "relpages|relallvisible|rows: "
        f"{summary['visibility']}). Machine load (uptime before/after wrk): "
        f"{summary['load_average']}.",
        "",
        "| scenario | conns | app req/s | p50 ms | p90 ms | p99 ms | non-2xx | SQL/req "
        "| floor req/s | floor p99 ms | app/floor |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        app, floor = row["app"], row["floor"] or {}
        non2xx = app["non2xx"] + app["errors_timeout"] + app["errors_connect"]
        lines.append(
            f"| {row['scenario']} | {row['connections']} | {app['rps']:.0f} | {app['p50_ms']:.2f} "
            f"| {app['p90_ms']:.2f} | {app['p99_ms']:.2f} | {non2xx} | {row['queries'] or '-'} "
            f"| {floor.get('rps', 0):.0f} | {floor.get('p99_ms', 0):.2f} "
            f"| {row['ratio'] if row['ratio'] is not None else '-'} |"
        )
    lines += [
        "",
        "CPU per request by process, µs (bench/cpu_share.py; other = wrk, the kernel and "
        "anything else running):",
        "",
        "| scenario | conns | app | PostgreSQL | Redis | other | total |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        if share := row["cpu"]:
            lines.append(
                f"| {row['scenario']} | {row['connections']} | {share['app']} "
                f"| {share['postgresql']} | {share['redis']} | {share['other']} "
                f"| {share['total']} |"
            )
    lines += ["", "EXPLAIN (ANALYZE, BUFFERS) of each scenario's main query:", ""]
    for name, plan in explain.items():
        lines += [f"**{name}**", "", "```", plan, "```", ""]
    text = "\n".join(lines)
    (RUN / "summary.md").write_text(text + "\n")
    if WRITE_DOCS and DOC.exists() and START in DOC.read_text():
        doc = DOC.read_text()
        head, rest = doc.split(START, 1)
        _, tail = rest.split(END, 1)
        DOC.write_text(f"{head}{START}\n{text}\n{END}{tail}")
    print(text)


if __name__ == "__main__":
    main()
