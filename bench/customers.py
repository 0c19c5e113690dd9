"""Customer search at 200,000 rows: seed, ANALYZE, and EXPLAIN ANALYZE each search query.

    FORECOURT_ENV=development DATABASE_URL=postgres://postgres@127.0.0.1:5432/forecourt_bench \
        python bench/customers.py [--customers 200000] [--write-docs]

Migrates the database, tops the demo customers up (`seed-demo --customers N`: COPY), runs
VACUUM ANALYZE, then builds the list's queries through `customers.search` exactly as the
screen and API do (as a Sales Manager of one rooftop) and prints EXPLAIN (ANALYZE, BUFFERS)
for each. `--write-docs` replaces the "Measured plans" section of docs/customers.md.
PostgreSQL only: the prefix and GIN indexes it measures do not exist on SQLite.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forecourt.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from forecourt.accounts.models import Rooftop, User  # noqa: E402
from forecourt.customers.models import Customer  # noqa: E402
from forecourt.customers.search import CustomerFilters, page_queryset, search  # noqa: E402

DOCS = Path(__file__).resolve().parent.parent / "docs" / "customers.md"
START = "<!-- bench:customers:start -->"
END = "<!-- bench:customers:end -->"


def _explain(queryset: object) -> str:
    sql, params = queryset.query.sql_with_params()  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=200_000)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("PostgreSQL only (the measured indexes are PostgreSQL indexes).")
    call_command("migrate", verbosity=0)
    started = time.monotonic()
    call_command("seed_demo", "--quiet-logins", "--vehicles", "0", "--customers", args.customers)
    print(f"seeded in {time.monotonic() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {Customer._meta.db_table}")
    rooftop = Rooftop.objects.order_by("pk").first()
    assert rooftop is not None  # noqa: S101 - seed-demo made it
    user = User.objects.get(email="sales.manager@demo.forecourt.test")
    # As the screen does for a one-rooftop user: scoped, plus equality on the rooftop.
    base = Customer.objects.for_user(user, "view").filter(rooftop_id=rooftop.pk)
    sample = base.exclude(ssn_last4_index="").order_by("pk").first()
    ssn_last4 = sample.ssn[-4:] if sample and sample.ssn else "1234"
    any_customer = base.exclude(email="").order_by("pk")[1000]
    deep = search(base, CustomerFilters(), limit=25)
    for _ in range(40):  # 1,000 rows in
        assert deep.next_cursor is not None  # noqa: S101
        deep = search(base, CustomerFilters(), cursor=deep.next_cursor, limit=25)
    scoped_only = Customer.objects.for_user(user, "view")
    api_plan = _explain(
        page_queryset(scoped_only, CustomerFilters(), cursor=deep.next_cursor or "")
    )
    scenarios = [
        ("list, page 1 (by name)", CustomerFilters(), ""),
        ("list, page 41 (keyset cursor)", CustomerFilters(), deep.next_cursor or ""),
        ("name prefix 'gar'", CustomerFilters(q="gar"), ""),
        ("first + last prefix 'maria gar'", CustomerFilters(q="maria gar"), ""),
        ("phone, typed any way", CustomerFilters(q=any_customer.mobile_phone[2:]), ""),
        ("email", CustomerFilters(q=any_customer.email.upper()), ""),
        ("SSN last 4 (blind index)", CustomerFilters(q=ssn_last4), ""),
        ("tag filter 'vip'", CustomerFilters(tag="vip"), ""),
        ("consent filter (sms)", CustomerFilters(consent="sms"), ""),
    ]
    total = Customer.objects.count()
    sections = [f"Rows in customers_customer: {total:,}. Rooftop {rooftop.code}.", ""]
    took = re.search(r"Execution Time: ([\d.]+) ms", api_plan)
    print(f"\n== API list page 41, scoped by subquery only: {took.group(1) if took else '?'} ms")
    sections += [
        "### API list, page 41 (rooftop scoped by subquery only)",
        "",
        "```",
        api_plan,
        "```",
        "",
    ]
    for title, filters, page_cursor in scenarios:
        plan = _explain(page_queryset(base, filters, cursor=page_cursor, may_search_ssn=True))
        took = re.search(r"Execution Time: ([\d.]+) ms", plan)
        print(f"\n== {title}: {took.group(1) if took else '?'} ms\n{plan}")
        sections += [f"### {title}", "", "```", plan, "```", ""]
    if args.write_docs:
        text = DOCS.read_text()
        block = "\n".join([START, *sections, END])
        pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.DOTALL)
        DOCS.write_text(pattern.sub(lambda _: block, text))
        print(f"\nwrote {DOCS}")


if __name__ == "__main__":
    main()
