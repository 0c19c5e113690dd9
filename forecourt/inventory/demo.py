"""Demo inventory for `forecourt seed-demo --vehicles N`: realistic and fast.

Makes, models and trims follow a skewed (Zipf-like) distribution, VINs carry correct check
digits, prices depreciate with age and mileage, statuses and days in stock look like a real
lot. PostgreSQL loads with COPY, SQLite with bulk_create batches (core/db/bulk.py).
Demo rows are bulk-loaded, so they carry no per-row history or audit entries.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from forecourt.accounts.models import Rooftop
from forecourt.core.db import bulk
from forecourt.core.demo import DemoOptions
from forecourt.core.progress import progress
from forecourt.inventory.actions.stock_numbers import format_stock_number
from forecourt.inventory.models import StockNumberSettings, Vehicle
from forecourt.inventory.vin import check_digit

DEFAULT_DEMO_VEHICLES = 200
BATCH = 5_000
_YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789"

# (make, WMI, weight, [(model, weight, body, base price, trims)])
CATALOG: list[tuple[str, str, int, list[tuple[str, int, str, int, list[str]]]]] = [
    ("Ford", "1FT", 16, [
        ("F-150", 10, "Pickup", 52000, ["XL", "XLT", "Lariat", "King Ranch", "Platinum"]),
        ("Escape", 4, "SUV", 31000, ["S", "SE", "Titanium"]),
        ("Explorer", 3, "SUV", 42000, ["Base", "XLT", "Limited"]),
        ("Mustang", 2, "Coupe", 38000, ["EcoBoost", "GT"]),
    ]),
    ("Chevrolet", "1GC", 14, [
        ("Silverado 1500", 9, "Pickup", 50000, ["WT", "LT", "RST", "LTZ", "High Country"]),
        ("Equinox", 5, "SUV", 30000, ["LS", "LT", "Premier"]),
        ("Malibu", 3, "Sedan", 26000, ["LS", "LT"]),
        ("Tahoe", 2, "SUV", 62000, ["LS", "LT", "Z71", "Premier"]),
    ]),
    ("Toyota", "4T1", 14, [
        ("Camry", 8, "Sedan", 29000, ["LE", "SE", "XLE", "XSE"]),
        ("RAV4", 8, "SUV", 32000, ["LE", "XLE", "Adventure", "Limited"]),
        ("Corolla", 6, "Sedan", 23000, ["L", "LE", "SE"]),
        ("Tacoma", 5, "Pickup", 38000, ["SR", "SR5", "TRD Off-Road"]),
        ("Highlander", 3, "SUV", 42000, ["L", "LE", "XLE", "Limited"]),
    ]),
    ("Honda", "1HG", 11, [
        ("Civic", 7, "Sedan", 25000, ["LX", "Sport", "EX", "Touring"]),
        ("Accord", 6, "Sedan", 29000, ["LX", "Sport", "EX-L", "Touring"]),
        ("CR-V", 7, "SUV", 32000, ["LX", "EX", "EX-L", "Touring"]),
        ("Pilot", 3, "SUV", 41000, ["Sport", "EX-L", "Elite"]),
    ]),
    ("Nissan", "1N4", 7, [
        ("Altima", 5, "Sedan", 26000, ["S", "SV", "SR", "SL"]),
        ("Rogue", 6, "SUV", 29000, ["S", "SV", "SL"]),
        ("Sentra", 4, "Sedan", 21000, ["S", "SV", "SR"]),
    ]),
    ("Jeep", "1C4", 6, [
        ("Grand Cherokee", 5, "SUV", 45000, ["Laredo", "Limited", "Overland"]),
        ("Wrangler", 5, "SUV", 40000, ["Sport", "Sahara", "Rubicon"]),
    ]),
    ("Hyundai", "5NP", 5, [
        ("Elantra", 5, "Sedan", 22000, ["SE", "SEL", "Limited"]),
        ("Tucson", 5, "SUV", 29000, ["SE", "SEL", "Limited"]),
    ]),
    ("Subaru", "4S4", 4, [
        ("Outback", 6, "Wagon", 32000, ["Base", "Premium", "Limited"]),
        ("Forester", 5, "SUV", 30000, ["Base", "Premium", "Sport"]),
    ]),
    ("BMW", "WBA", 3, [
        ("3 Series", 5, "Sedan", 45000, ["330i", "M340i"]),
        ("X5", 3, "SUV", 65000, ["sDrive40i", "xDrive40i"]),
    ]),
    ("Tesla", "5YJ", 3, [
        ("Model 3", 6, "Sedan", 42000, ["Standard Range", "Long Range", "Performance"]),
        ("Model Y", 6, "SUV", 48000, ["Long Range", "Performance"]),
    ]),
    ("Kia", "KND", 3, [
        ("Sportage", 5, "SUV", 28000, ["LX", "EX", "SX"]),
        ("Telluride", 3, "SUV", 40000, ["LX", "EX", "SX"]),
    ]),
    ("Mazda", "JM1", 2, [
        ("CX-5", 6, "SUV", 30000, ["Sport", "Touring", "Grand Touring"]),
        ("Mazda3", 3, "Sedan", 24000, ["Base", "Select", "Premium"]),
    ]),
]  # fmt: skip
COLORS = ["White", "Black", "Gray", "Silver", "Blue", "Red", "Green", "Brown", "Beige"]
STATUSES = [
    ("available", 62),
    ("in_reconditioning", 9),
    ("incoming", 6),
    ("sold", 8),
    ("delivered", 11),
    ("wholesale", 3),
    ("removed", 1),
]
SOURCES = [
    ("trade_in", 45),
    ("auction", 30),
    ("purchase", 12),
    ("lease_return", 9),
    ("consignment", 4),
]
# What each model is really offered with (US market, recent model years): (engine, fuel,
# drivetrains). A dealer judges the product by its demo data: no V8 Altima, no 4-cyl X5.
POWERTRAINS: dict[str, list[tuple[str, str, list[str]]]] = {
    "F-150": [
        ("2.7L V6 EcoBoost", "gasoline", ["4wd", "rwd"]),
        ("3.5L V6 EcoBoost", "gasoline", ["4wd"]),
        ("5.0L V8", "gasoline", ["4wd", "rwd"]),
        ("3.5L V6 PowerBoost hybrid", "hybrid", ["4wd"]),
    ],
    "Escape": [
        ("1.5L 3-cyl turbo", "gasoline", ["fwd", "awd"]),
        ("2.0L 4-cyl turbo", "gasoline", ["awd"]),
        ("2.5L 4-cyl hybrid", "hybrid", ["fwd", "awd"]),
    ],
    "Explorer": [
        ("2.3L 4-cyl turbo", "gasoline", ["rwd", "4wd"]),
        ("3.0L V6 turbo", "gasoline", ["4wd"]),
    ],
    "Mustang": [("2.3L 4-cyl EcoBoost", "gasoline", ["rwd"]), ("5.0L V8", "gasoline", ["rwd"])],
    "Silverado 1500": [
        ("2.7L 4-cyl turbo", "gasoline", ["rwd", "4wd"]),
        ("5.3L V8", "gasoline", ["4wd", "rwd"]),
        ("6.2L V8", "gasoline", ["4wd"]),
        ("3.0L 6-cyl turbo diesel", "diesel", ["4wd"]),
    ],
    "Equinox": [("1.5L 4-cyl turbo", "gasoline", ["fwd", "awd"])],
    "Malibu": [("1.5L 4-cyl turbo", "gasoline", ["fwd"])],
    "Tahoe": [
        ("5.3L V8", "gasoline", ["rwd", "4wd"]),
        ("6.2L V8", "gasoline", ["4wd"]),
        ("3.0L 6-cyl turbo diesel", "diesel", ["4wd"]),
    ],
    "Camry": [
        ("2.5L 4-cyl", "gasoline", ["fwd", "awd"]),
        ("2.5L 4-cyl hybrid", "hybrid", ["fwd"]),
        ("3.5L V6", "gasoline", ["fwd"]),
    ],
    "RAV4": [("2.5L 4-cyl", "gasoline", ["fwd", "awd"]), ("2.5L 4-cyl hybrid", "hybrid", ["awd"])],
    "Corolla": [("2.0L 4-cyl", "gasoline", ["fwd"]), ("1.8L 4-cyl hybrid", "hybrid", ["fwd"])],
    "Tacoma": [("2.7L 4-cyl", "gasoline", ["rwd", "4wd"]), ("3.5L V6", "gasoline", ["4wd", "rwd"])],
    "Highlander": [
        ("3.5L V6", "gasoline", ["fwd", "awd"]),
        ("2.5L 4-cyl hybrid", "hybrid", ["awd"]),
    ],
    "Civic": [("2.0L 4-cyl", "gasoline", ["fwd"]), ("1.5L 4-cyl turbo", "gasoline", ["fwd"])],
    "Accord": [("1.5L 4-cyl turbo", "gasoline", ["fwd"]), ("2.0L 4-cyl hybrid", "hybrid", ["fwd"])],
    "CR-V": [
        ("1.5L 4-cyl turbo", "gasoline", ["fwd", "awd"]),
        ("2.0L 4-cyl hybrid", "hybrid", ["awd"]),
    ],
    "Pilot": [("3.5L V6", "gasoline", ["fwd", "awd"])],
    "Altima": [
        ("2.5L 4-cyl", "gasoline", ["fwd", "awd"]),
        ("2.0L 4-cyl VC-Turbo", "gasoline", ["fwd"]),
    ],
    "Rogue": [
        ("1.5L 3-cyl VC-Turbo", "gasoline", ["fwd", "awd"]),
        ("2.5L 4-cyl", "gasoline", ["fwd", "awd"]),
    ],
    "Sentra": [("2.0L 4-cyl", "gasoline", ["fwd"])],
    "Grand Cherokee": [("3.6L V6", "gasoline", ["4wd", "rwd"]), ("5.7L V8", "gasoline", ["4wd"])],
    "Wrangler": [("3.6L V6", "gasoline", ["4wd"]), ("2.0L 4-cyl turbo", "gasoline", ["4wd"])],
    "Elantra": [("2.0L 4-cyl", "gasoline", ["fwd"]), ("1.6L 4-cyl hybrid", "hybrid", ["fwd"])],
    "Tucson": [
        ("2.5L 4-cyl", "gasoline", ["fwd", "awd"]),
        ("1.6L 4-cyl turbo hybrid", "hybrid", ["awd"]),
    ],
    "Outback": [
        ("2.5L 4-cyl boxer", "gasoline", ["awd"]),
        ("2.4L 4-cyl turbo boxer", "gasoline", ["awd"]),
    ],
    "Forester": [("2.5L 4-cyl boxer", "gasoline", ["awd"])],
    "3 Series": [
        ("2.0L 4-cyl turbo", "gasoline", ["rwd", "awd"]),
        ("3.0L 6-cyl turbo", "gasoline", ["rwd", "awd"]),
    ],
    "X5": [
        ("3.0L 6-cyl turbo", "gasoline", ["awd", "rwd"]),
        ("4.4L V8 twin-turbo", "gasoline", ["awd"]),
    ],
    "Model 3": [
        ("Electric motor", "electric", ["rwd"]),
        ("Dual electric motors", "electric", ["awd"]),
    ],
    "Model Y": [("Dual electric motors", "electric", ["awd"])],
    "Sportage": [
        ("2.5L 4-cyl", "gasoline", ["fwd", "awd"]),
        ("1.6L 4-cyl turbo hybrid", "hybrid", ["awd"]),
    ],
    "Telluride": [("3.8L V6", "gasoline", ["fwd", "awd"])],
    "CX-5": [("2.5L 4-cyl", "gasoline", ["awd"]), ("2.5L 4-cyl turbo", "gasoline", ["awd"])],
    "Mazda3": [("2.5L 4-cyl", "gasoline", ["fwd", "awd"])],
}
# Trims that fix the powertrain (index into the model's list, and the drivetrain if fixed).
TRIM_POWERTRAINS: dict[tuple[str, str], tuple[int, str | None]] = {
    ("Mustang", "EcoBoost"): (0, "rwd"),
    ("Mustang", "GT"): (1, "rwd"),
    ("3 Series", "330i"): (0, None),
    ("3 Series", "M340i"): (1, None),
    ("X5", "sDrive40i"): (0, "rwd"),
    ("X5", "xDrive40i"): (0, "awd"),
    ("Model 3", "Standard Range"): (0, "rwd"),
    ("Model 3", "Long Range"): (1, "awd"),
    ("Model 3", "Performance"): (1, "awd"),
}


def _powertrain(rng: random.Random, model: str, trim: str) -> tuple[str, str, str]:
    """(engine, fuel type, drivetrain) that this model and trim are really built with."""
    options = POWERTRAINS[model]
    fixed = TRIM_POWERTRAINS.get((model, trim))
    if fixed is not None:
        engine, fuel, drivetrains = options[fixed[0]]
        return engine, fuel, fixed[1] or rng.choice(drivetrains)
    # The first (base) engine is the most common; hybrids and big engines less so.
    engine, fuel, drivetrains = _weighted(
        rng, [(o, 6 if i == 0 else 2) for i, o in enumerate(options)]
    )
    return engine, fuel, rng.choice(drivetrains)


def _weighted[T](rng: random.Random, items: list[tuple[T, int]]) -> T:
    return rng.choices([i for i, _ in items], weights=[w for _, w in items])[0]


def demo_vin(rng: random.Random, wmi: str, year: int, index: int) -> str:
    """A VIN with a correct check digit; (plant, serial) come from `index`, so unique."""
    alphabet = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    vds = "".join(rng.choice(alphabet) for _ in range(5))
    year_code = _YEAR_CODES[(year - 1980) % 30]
    plant = alphabet[(index // 1_000_000) % len(alphabet)]
    # Position 7 alphabetic marks the 2010+ model-year cycle for North American VINs.
    vds = vds[:3] + ("A" if year >= 2010 else "1") + vds[4:]
    body = f"{wmi}{vds}0{year_code}{plant}{index % 1_000_000:06d}"
    return body[:8] + check_digit(body) + body[9:]


class StockNumbering:
    """Numbers demo units the way received units are numbered: each rooftop's pattern and
    counter (inventory.actions.stock_numbers), so the demo lot looks like the dealer's."""

    def __init__(self, rooftops: dict[int, tuple[str, str, int]]) -> None:
        self.rooftops = dict(rooftops)  # id -> (pattern, rooftop code, last sequence)

    @classmethod
    def default(cls, rooftop_ids: list[int]) -> StockNumbering:
        return cls(dict.fromkeys(rooftop_ids, (StockNumberSettings.DEFAULT_PATTERN, "", 0)))

    def next(self, rooftop_id: int, vin: str, today: date) -> str:
        pattern, code, last = self.rooftops[rooftop_id]
        self.rooftops[rooftop_id] = (pattern, code, last + 1)
        return format_stock_number(pattern, code, last + 1, vin, today)


def _row(
    rng: random.Random, rooftop_id: int, index: int, today: date, numbering: StockNumbering
) -> dict[str, Any]:
    make, wmi, _, models = _weighted(rng, [(m, m[2]) for m in CATALOG])
    model, _, body, base_price, trims = _weighted(rng, [(m, m[1]) for m in models])
    trim_index = min(int(rng.paretovariate(1.6)) - 1, len(trims) - 1)
    age = min(int(rng.expovariate(1 / 4.0)), 15)
    condition = "new" if age == 0 and rng.random() < 0.7 else "used"
    if condition == "used" and age <= 5 and rng.random() < 0.15:
        condition = "certified"
    year = today.year + (1 if rng.random() < 0.05 and age == 0 else 0) - age
    miles = 0 if condition == "new" else max(5, int(rng.gauss(12_000, 4_000) * max(age, 0.3)))
    value = base_price * (1 + 0.08 * trim_index) * (0.85**age) * max(0.4, 1 - miles / 400_000)
    list_price = Decimal(max(2_995, int(value / 100) * 100 - 5))
    cost = (list_price * Decimal(rng.uniform(0.78, 0.9))).quantize(Decimal("1"))
    days = int(rng.expovariate(1 / 38)) if rng.random() < 0.97 else rng.randint(120, 400)
    status = _weighted(rng, STATUSES)
    acquired_on = today - timedelta(days=days)
    sold_at = None
    if status in ("sold", "delivered", "wholesale", "removed"):
        sold_at = timezone.now() - timedelta(days=rng.randint(0, max(days - 1, 0)))
    now = timezone.now()
    engine, fuel_type, drivetrain = _powertrain(rng, model, trims[trim_index])
    vin = demo_vin(rng, wmi, year, index)
    return {
        "rooftop_id": rooftop_id,
        "vin": vin,
        "stock_number": numbering.next(rooftop_id, vin, today),
        "condition": condition,
        "status": status,
        "year": year,
        "make": make,
        "model": model,
        "trim": trims[trim_index],
        "body_style": body,
        "drivetrain": drivetrain,
        "engine": engine,
        "transmission": "automatic",
        "fuel_type": fuel_type,
        "exterior_color": _weighted(rng, [(c, 10 - i) for i, c in enumerate(COLORS)]),
        "interior_color": rng.choice(["Black", "Gray", "Beige"]),
        "odometer": miles,
        "odometer_brand": "actual",
        "title_status": "clear",
        "title_brand": "none",
        "acquisition_source": "purchase" if condition == "new" else _weighted(rng, SOURCES),
        "acquired_on": acquired_on,
        "acquisition_cost": cost,
        "list_price": list_price,
        "internet_price": list_price - 500 if rng.random() < 0.6 else None,
        "floor_price": (list_price * Decimal("0.93")).quantize(Decimal("1")),
        "lot_location": f"{rng.choice('ABCDEF')}{rng.randint(1, 40)}",
        "key_tag": f"K{index % 10_000:04d}",
        "notes": "",
        "is_published": status == "available" and rng.random() < 0.9,
        "sold_at": sold_at,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }  # fmt: skip


def generate(
    count: int,
    rooftop_ids: list[int],
    *,
    start: int = 0,
    seed: int = 2026,
    numbering: StockNumbering | None = None,
) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed + start)  # noqa: S311 - demo data, not security
    today = timezone.localdate()
    numbering = numbering or StockNumbering.default(rooftop_ids)
    weights = [3, 2, 1][: len(rooftop_ids)] + [1] * max(0, len(rooftop_ids) - 3)
    for offset in range(count):
        rooftop_id = rng.choices(rooftop_ids, weights=weights)[0]
        yield _row(rng, rooftop_id, start + offset + 1, today, numbering)


def seed_vehicles(count: int, rooftops: list[Rooftop] | None = None) -> int:
    """Top up the lot to `count` vehicles, numbered by each rooftop's stock-number pattern
    (whose counters move on past them). Returns how many were added."""
    rooftops = rooftops or list(Rooftop.objects.filter(is_active=True).order_by("pk"))
    if not rooftops or count <= 0:
        return 0
    existing = Vehicle.objects.count()
    missing = count - existing
    if missing <= 0:
        return 0
    with transaction.atomic():
        for rooftop in rooftops:
            StockNumberSettings.objects.get_or_create(rooftop=rooftop)
        counters = {
            row.rooftop_id: row
            for row in StockNumberSettings.objects.select_for_update().filter(rooftop__in=rooftops)
        }
        codes = {r.pk: r.code for r in rooftops}
        numbering = StockNumbering(
            {pk: (row.pattern, codes[pk], row.last_sequence) for pk, row in counters.items()}
        )
        rows = progress(
            generate(missing, list(codes), start=existing, numbering=numbering),
            total=missing,
            desc="Demo vehicles",
        )
        bulk.copy_rows(Vehicle, rows, batch_size=BATCH)
        for pk, (_pattern, _code, last) in numbering.rooftops.items():
            counters[pk].last_sequence = last
            counters[pk].save(update_fields=["last_sequence"])
    return missing


def seed_demo(options: DemoOptions) -> str:
    """The seed-demo step for inventory (core/demo.py)."""
    count = DEFAULT_DEMO_VEHICLES if options.vehicles is None else options.vehicles
    return f"Demo inventory: {seed_vehicles(count)} vehicle(s) added."
