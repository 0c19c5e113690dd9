"""CPU cost of one request, per layer, in process (run by bench/profile.sh).

    profile_request.py TARGETS SCENARIO [--requests N] [--cprofile OUT] [--middleware LIST]

Calls the production WSGI application directly (no HTTP server, no network between the load
generator and the app), N times, and reports CPU microseconds per request
(time.process_time, so other processes on a shared machine distort it far less than wall
time) and the queries per request. `--middleware lanes|full|none|a,b,c` picks the middleware
to price each layer: the difference between two runs is what those middleware cost.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forecourt.settings")


def targets(path: str) -> dict[str, Any]:
    text = Path(path).read_text(encoding="utf-8")
    found: dict[str, Any] = {}
    for name, value in re.findall(r'^(\w+) = "(.*)"$', text, re.M):
        found[name] = value
    for name, body in re.findall(r"^(\w+) = \{\n(.*?)\n\}$", text, re.M | re.S):
        found[name] = [json.loads(line.rstrip(",")) for line in body.splitlines()]
    return found


def environ_for(path: str, token: str, method: str = "GET", body: bytes = b"") -> dict[str, Any]:
    from forecourt.core.testing import wsgi_environ

    headers = {"Authorization": f"Bearer {token}", "X-Forwarded-Proto": "https"}
    return wsgi_environ(path, headers=headers, method=method, body=body, host="127.0.0.1")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("targets")
    parser.add_argument("scenario")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--cprofile", default="")
    parser.add_argument("--middleware", default="")
    # cpu: the profile counts CPU time, not time spent waiting on PostgreSQL or Redis.
    parser.add_argument("--timer", choices=("wall", "cpu"), default="wall")
    args = parser.parse_args()

    import django
    from django.conf import settings

    django.setup()
    # "lanes": the production application (bearer requests take the token lane);
    # "full": every request through the full MIDDLEWARE; "none": no middleware at all;
    # a comma-separated list: exactly those.
    if args.middleware not in ("", "lanes", "full"):
        settings.MIDDLEWARE = [m for m in args.middleware.split(",") if m and m != "none"]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from forecourt import wsgi

    application = wsgi.application if args.middleware in ("", "lanes") else wsgi.django_application

    t = targets(args.targets)
    token = t["token"]
    counter = [0]

    def next_request() -> dict[str, Any]:
        counter[0] += 1
        i = counter[0]
        s = args.scenario
        if s == "search_page1":
            return environ_for(f"/api/v1/vehicles?{t['search']}", token)
        if s == "search_page2_5":
            cursor = t["cursors"][i % len(t["cursors"])]
            return environ_for(f"/api/v1/vehicles?{t['search']}&cursor={cursor}", token)
        if s == "detail_id":
            return environ_for(f"/api/v1/vehicles/{t['ids'][i % len(t['ids'])]}", token)
        if s == "detail_vin":
            return environ_for(f"/api/v1/vehicles/by-vin/{t['vins'][i % len(t['vins'])]}", token)
        if s == "update_price":
            # The far end of the update slice: wrk's runs use the start of it.
            j = len(t["update_ids"]) - 1 - (i % 5000)
            vehicle_id = t["update_ids"][j]
            current = versions.setdefault(vehicle_id, t["update_versions"][j])
            environ = environ_for(
                f"/api/v1/vehicles/{vehicle_id}/price",
                token,
                "POST",
                json.dumps({"list_price": f"{15000 + i % 9000}.00"}).encode(),
            )
            environ["HTTP_IF_MATCH"] = f'"{current}"'
            return environ
        raise SystemExit(f"unknown scenario {s}")

    versions: dict[int, int] = {}
    statuses: dict[str, int] = {}

    def run_one() -> None:
        environ = next_request()
        seen: list[str] = []
        response = application(environ, lambda status, headers, exc=None: seen.append(status))
        body = b"".join(response)
        if hasattr(response, "close"):
            response.close()
        statuses[seen[0]] = statuses.get(seen[0], 0) + 1
        if args.scenario == "update_price" and seen[0].startswith("200"):
            row = json.loads(body)
            versions[row["id"]] = row["version"]

    for _ in range(50):  # warm-up: connections, caches, imports
        run_one()
    with CaptureQueriesContext(connection) as captured:
        run_one()
    timer = time.process_time if args.timer == "cpu" else time.perf_counter
    profiler = cProfile.Profile(timer) if args.cprofile else None
    started_cpu, started_wall = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    for _ in range(args.requests):
        run_one()
    if profiler:
        profiler.disable()
    cpu = time.process_time() - started_cpu
    wall = time.perf_counter() - started_wall
    result = {
        "scenario": args.scenario,
        "middleware": args.middleware or "settings",
        "requests": args.requests,
        "cpu_us_per_request": round(cpu / args.requests * 1e6),
        "wall_us_per_request": round(wall / args.requests * 1e6),
        "queries": len(captured),
        "statuses": statuses,
    }
    print(json.dumps(result), file=sys.stderr)  # stdout carries the access log
    if profiler:
        profiler.dump_stats(args.cprofile)
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(60)
        with open(args.cprofile + ".txt", "w", encoding="utf-8") as handle:
            handle.write(stream.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
