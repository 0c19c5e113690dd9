"""Prepare a benchmark run against the loaded database (run by bench/run.sh).

- creates the bench user (Sales Manager at every demo rooftop) and an API token,
- picks a seeded sample of request targets (ids, VINs, stock prefixes, deep cursors) and
  writes them as Lua tables for wrk (bench/results/targets.lua),
- counts the SQL queries each scenario makes (Django test client, in process),
- captures each scenario's main SQL for pgbench and EXPLAIN (ANALYZE, BUFFERS) of it.
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
from pathlib import Path
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forecourt.settings")
# Its few hundred requests in a few seconds must not meet the development rate limits.
for tier in ("RATE_LIMIT_GLOBAL", "RATE_LIMIT_API"):
    os.environ.setdefault(tier, "100000000/minute")
os.environ.setdefault("RATE_LIMIT_API_DAILY", "1000000000/day")
django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from forecourt.accounts.actions import create_api_token  # noqa: E402
from forecourt.accounts.models import Rooftop, User  # noqa: E402
from forecourt.accounts.roles import Role  # noqa: E402
from forecourt.inventory.models import Vehicle  # noqa: E402

OUT = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/results")
rng = random.Random(20260501)  # noqa: S311 - a seeded sample, not security
BENCH_EMAIL = "bench@bench.forecourt.test"
SEARCH = "status=available&make=Toyota&sort=list_price&limit=25"


def bench_user() -> tuple[User, str]:
    user = User.objects.filter(email=BENCH_EMAIL).first()
    if user is None:
        user = User.objects.create_user(BENCH_EMAIL, None, full_name="Bench")
        user.groups.set([Group.objects.get(name=Role.SALES_MANAGER.value)])
        user.rooftops.set(Rooftop.objects.all())
    admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "bench-admin@bench.forecourt.test", None, full_name="Bench admin"
    )
    _token, raw = create_api_token(admin, user=user, name="bench", scopes=["read", "write"])
    return user, raw


def sample_ids(count: int, status: str = "available") -> list[tuple[int, int, str]]:
    """Up to `count` random vehicles of `status` (fewer when the table holds fewer), so the
    bench prepares at any BENCH_VEHICLES."""
    pks = list(Vehicle.objects.filter(status=status).values_list("pk", flat=True))
    chosen = sorted(rng.sample(pks, min(count, len(pks))))
    rows = dict.fromkeys(chosen)
    for start in range(0, len(chosen), 10_000):
        batch = chosen[start : start + 10_000]
        for pk, version, vin in Vehicle.objects.filter(pk__in=batch).values_list(
            "pk", "version", "vin"
        ):
            rows[pk] = (pk, version, vin)
    picked = [row for row in rows.values() if row is not None]
    rng.shuffle(picked)
    return picked


def cursors(client: Client, headers: dict[str, str], depth: int) -> list[str]:
    """Cursors of pages 2..depth of the SEARCH query (following next_cursor)."""
    found: list[str] = []
    cursor = ""
    for _ in range(depth - 1):
        response = client.get(f"/api/v1/vehicles?{SEARCH}&cursor={cursor}", **headers)
        cursor = response.json()["next_cursor"]
        if not cursor:
            break
        found.append(cursor)
    return found


def lua_list(name: str, values: list[Any]) -> str:
    body = ",\n".join(json.dumps(v) for v in values)
    return f"{name} = {{\n{body}\n}}\n"


def count_queries(
    client: Client, headers: dict[str, str], path: str, **extra: Any
) -> dict[str, Any]:
    method = extra.pop("method", "get")
    client.get("/api/v1/me", **headers)  # first use of a token writes last_used_at
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(path, **headers, **extra)
    if response.status_code >= 300:
        raise SystemExit(f"{path} answered {response.status_code}: {response.content[:300]!r}")
    return {"queries": len(captured), "sql": [q["sql"] for q in captured]}


def spread_over_vehicles(script: str, pk: int, pks: list[int]) -> str:
    """Each pgbench transaction changes a random vehicle of the sample, as wrk's threads each
    change their own: with one literal id every client would queue on that row's lock, a
    floor no app request meets (and PostgreSQL's own contention, not the statements' cost)."""
    spread = re.sub(rf"(?<![\d.]){pk}(?![\d.])", ":vehicle_id", script)
    if spread.count(":vehicle_id") < 2:  # pragma: no cover - the SQL changed shape
        raise SystemExit("update_price: the vehicle id was not found in its statements")
    return f"\\set vehicle_id random({min(pks)}, {max(pks)})\n{spread}"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    _user, token = bench_user()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_X_FORWARDED_PROTO": "https"}
    client = Client()
    details = sample_ids(2000)
    updates = sample_ids(60000)
    page_cursors = cursors(client, headers, 5)
    deep: list[str] = []
    # A deep page: the cursor at a price far into the list (as page ~2000 would have).
    toyotas = Vehicle.objects.filter(status="available", make="Toyota")
    depth = min(50_000, toyotas.count() // 2)  # far into the list at any BENCH_VEHICLES
    far = toyotas.order_by("list_price", "id").values_list("list_price", "id")[depth : depth + 1]
    from forecourt.core.keyset import encode_cursor

    for price, pk in far:
        deep.append(encode_cursor("list_price", str(price), pk))
    # Five characters, like the floor's D0421: about 1,000 units each. (A three-character
    # prefix matches 100,000 units, all sorted for the page: a different query class.)
    stock_prefixes = [f"D{rng.randint(1, 999):04d}" for _ in range(200)]
    vin_tails = [vin[-8:] for _, _, vin in details[:500]]
    (OUT / "targets.lua").write_text(
        f'token = "{token}"\n'
        f'search = "{SEARCH}"\n'
        + lua_list("ids", [pk for pk, _, _ in details])
        + lua_list("vins", [vin for _, _, vin in details])
        + lua_list("cursors", page_cursors)
        + lua_list("deep", deep)
        + lua_list("stock_prefixes", stock_prefixes)
        + lua_list("vin_tails", vin_tails)
        + lua_list("update_ids", [pk for pk, _, _ in updates])
        + lua_list("update_versions", [v for _, v, _ in updates])
    )
    pk, _, vin = details[0]
    scenarios = {
        "search_page1": f"/api/v1/vehicles?{SEARCH}",
        "search_page2_5": f"/api/v1/vehicles?{SEARCH}&cursor={page_cursors[-1]}",
        "search_deep": f"/api/v1/vehicles?{SEARCH}&cursor={deep[0]}",
        "detail_id": f"/api/v1/vehicles/{pk}",
        "detail_vin": f"/api/v1/vehicles/by-vin/{vin}",
        "stock_prefix": "/api/v1/vehicles?q=D0421&limit=25",
        "vin_tail": f"/api/v1/vehicles?q={vin[-8:]}&limit=25",
    }
    report: dict[str, Any] = {}
    for name, path in scenarios.items():
        report[name] = count_queries(client, headers, path)
    spare_pk, _, _ = updates[-1]
    # Always a real change (a repeated run must not measure a no-op), and the current version.
    spare_price, spare_version = Vehicle.objects.values_list("list_price", "version").get(
        pk=spare_pk
    )
    report["update_price"] = count_queries(
        client,
        headers,
        f"/api/v1/vehicles/{spare_pk}/price",
        method="post",
        data=json.dumps({"list_price": str(spare_price + 1)}),
        content_type="application/json",
        HTTP_IF_MATCH=f'"{spare_version}"',
    )
    explain: dict[str, str] = {}
    with connection.cursor() as cursor:
        for name, item in report.items():
            main_sql = next(s for s in item["sql"] if "inventory_vehicle" in s)
            item["main_sql"] = main_sql
            if main_sql.lstrip().upper().startswith("SELECT"):
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {main_sql}")
                explain[name] = "\n".join(row[0] for row in cursor.fetchall())
            if name.startswith("update"):
                # The whole write transaction, as the app runs it (savepoints aside).
                statements = [
                    s
                    for s in item["sql"]
                    if s.lstrip().upper().startswith(("SELECT", "UPDATE", "INSERT"))
                ]
                script = "BEGIN;\n" + "".join(s.replace("\n", " ") + ";\n" for s in statements)
                script += "COMMIT;\n"
                script = spread_over_vehicles(script, spare_pk, [pk for pk, _, _ in updates])
            else:
                script = main_sql.replace("\n", " ") + ";\n"
            (OUT / f"pgbench_{name}.sql").write_text(script)
    (OUT / "queries.json").write_text(json.dumps(report, indent=2, default=str))
    (OUT / "explain.json").write_text(json.dumps(explain, indent=2))
    print(json.dumps({k: v["queries"] for k, v in report.items()}))


if __name__ == "__main__":
    main()
