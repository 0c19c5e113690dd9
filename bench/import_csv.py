"""Benchmark: CSV import of N vehicles (default 100,000) into PostgreSQL, time and memory.

    DATABASE_URL=postgres://... .venv/bin/python bench/import_csv.py --rows 100000

Generates a realistic CSV (valid VINs with correct check digits), runs the real import
(csv_import.run_import: streamed, validated by the actions' rules, bulk-written) for a fresh
rooftop, and reports wall time, rows/s and the process's peak RSS. Run it at two sizes to see
memory stay flat as the file grows (streaming). Results go to bench/results/import-<rows>.json.
Not a test: speed is measured here, never asserted in the suite.

The settings are the environment's (development, DEBUG on, unless FORECOURT_ENV/DEBUG say
otherwise; the result records `debug`). On PostgreSQL the vehicles table is ANALYZEd before
the clock starts, as autovacuum keeps it in any real deployment: with autovacuum off (as on
the benchmark host) and a table never analyzed, the planner answers the import's per-batch
"which of these VINs are in stock" with a scan of the status index instead of probing the VIN
index, about 10x slower on a table of a few hundred thousand units.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forecourt.settings")

MAKES = {
    "Ford": ["F-150", "Escape", "Explorer", "Mustang"],
    "Toyota": ["Camry", "Corolla", "RAV4", "Tacoma"],
    "Honda": ["Civic", "Accord", "CR-V", "Pilot"],
    "Chevrolet": ["Silverado", "Equinox", "Malibu"],
    "Nissan": ["Altima", "Rogue", "Sentra"],
}
WMI = {"Ford": "1FA", "Toyota": "2T1", "Honda": "1HG", "Chevrolet": "1G1", "Nissan": "1N4"}
HEADER = [
    "vin", "year", "make", "model", "trim", "condition", "odometer", "acquisition_source",
    "acquisition_cost", "list_price", "exterior_color", "status",
]  # fmt: skip


VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"  # no I, O, Q


def write_csv(path: Path, rows: int, seed: int) -> None:
    """Rows with VINs unique to this run (positions 4-8 come from the seed)."""
    from forecourt.inventory.vin import check_digit

    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    descriptor = "".join(VIN_CHARS[(seed // 33**i) % 33] for i in range(5))
    makes = list(MAKES)
    weights = [30, 25, 20, 15, 10]  # skewed, like real lots
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for serial in range(rows):
            make = rng.choices(makes, weights)[0]
            year = rng.randint(2012, 2025)
            year_code = "ABCDEFGHJKLMNPRSTVWXY123456789"[(year - 1980) % 30]
            body = f"{WMI[make]}{descriptor}0{year_code}A{serial:06d}"
            vin = body[:8] + check_digit(body) + body[9:]
            cost = rng.randint(4000, 45000)
            writer.writerow(
                [
                    vin, year, make, rng.choice(MAKES[make]), "", "used",
                    rng.randint(5_000, 160_000), rng.choice(["trade_in", "auction", "purchase"]),
                    f"{cost}.00", f"{int(cost * rng.uniform(1.08, 1.3))}.00",
                    rng.choice(["White", "Black", "Silver", "Blue", "Red"]), "available",
                ]
            )  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--mode", choices=["valid_rows", "all_or_nothing"], default="valid_rows")
    parser.add_argument(
        "--validate-only",
        action="store_true",
        help="All-or-nothing with one bad last row: measures reading and validating every row "
        "(pass 1) without the writes.",
    )
    args = parser.parse_args()
    if args.validate_only:
        args.mode = "all_or_nothing"

    import django

    django.setup()
    from django.conf import settings
    from django.core.files.storage import default_storage
    from django.core.management import call_command

    from forecourt.accounts.models import Country, Currency, Rooftop, User
    from forecourt.inventory.imports.csv_import import run_import
    from forecourt.inventory.models import ImportJob

    call_command("migrate", verbosity=0)
    stamp = int(time.time())
    rooftop = Rooftop.objects.create(
        code=f"bench-{stamp}", name=f"Bench {stamp}", country=Country.US, currency=Currency.USD
    )
    actor = User.objects.create_superuser(f"bench{stamp}@example.com", None, full_name="Bench")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "vehicles.csv"
        write_csv(source, args.rows, seed=stamp)
        if args.validate_only:
            with source.open("a", encoding="utf-8") as handle:
                handle.write("NOT-A-VIN,2020,Ford,Focus,,used,1,auction,1.00,1.00,Red,available\n")
        with source.open("rb") as handle:
            name = default_storage.save(f"imports/bench-{stamp}.csv", handle)
    job = ImportJob.objects.create(
        rooftop=rooftop,
        created_by=actor,
        file_name=name,
        original_name="bench.csv",
        mode=args.mode,
        total_bytes=default_storage.size(name),
    )
    if django.db.connection.vendor == "postgresql":
        with django.db.connection.cursor() as cursor:
            cursor.execute("ANALYZE inventory_vehicle")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    run_import(job)
    seconds = time.perf_counter() - started
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    job.refresh_from_db()
    default_storage.delete(name)
    result = {
        "rows": args.rows,
        "mode": args.mode + (" (validate only)" if args.validate_only else ""),
        "status": job.status,
        "created": job.created_count,
        "errors": job.error_count,
        "file_mb": round(job.total_bytes / 1e6, 1),
        "seconds": round(seconds, 1),
        "rows_per_second": round(args.rows / seconds),
        "peak_rss_mb": round(rss_peak / 1024, 1),
        "rss_growth_mb": round((rss_peak - rss_before) / 1024, 1),
        "database": django.db.connection.vendor,
        "debug": settings.DEBUG,
    }
    suffix = "-validate" if args.validate_only else ""
    out = Path(__file__).parent / "results" / f"import-{args.rows}{suffix}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    json.dump(result, sys.stdout, indent=2)
    print()
    if args.validate_only:
        return 0 if job.status == "rejected" and job.error_count == 1 else 1
    return 0 if job.status == "done" and job.error_count == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
