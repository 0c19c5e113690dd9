"""Starting tax rules (state level only), every one marked as needing the dealer's
confirmation: a dealer confirms or corrects them for their jurisdiction before selling
(docs/deals.md "Configure and verify your jurisdiction"). County, city and district lines
are the dealer's to add."""

from datetime import date
from decimal import Decimal

from django.db import migrations

SEED = [
    {
        "area": "US-CA", "level": "state", "name": "California statewide base", "rate": "0.0725",
        "trade_credit": "none", "doc_fee_taxable": True, "rebates_taxable": True,
        "citation": "CDTFA Regulation 1654 (no trade-in credit); Publication 34 (doc fees)",
    },
    {
        "area": "US-TX", "level": "state", "name": "Texas motor vehicle sales tax", "rate": "0.0625",
        "trade_credit": "full", "doc_fee_taxable": False, "rebates_taxable": True,
        "citation": "Texas Tax Code ch. 152 (152.002 trade-in credit)",
    },
    {
        "area": "US-IL", "level": "state", "name": "Illinois state", "rate": "0.0625",
        "trade_credit": "full", "doc_fee_taxable": True, "rebates_taxable": True,
        "citation": "35 ILCS 120 (Retailers' Occupation Tax Act), 86 Ill. Adm. Code 130",
    },
    {
        "area": "US-FL", "level": "state", "name": "Florida state", "rate": "0.06",
        "trade_credit": "full", "doc_fee_taxable": True, "rebates_taxable": True,
        "citation": "Fla. Stat. 212.05, 212.09 (trade-in credit); Fla. Admin. Code 12A-1.007",
    },
]  # fmt: skip


def seed(apps, schema_editor):
    TaxRule = apps.get_model("deals", "TaxRule")
    for row in SEED:
        TaxRule.objects.get_or_create(
            area=row["area"], level=row["level"], name=row["name"],
            effective_from=date(2024, 1, 1),
            defaults={**row, "rate": Decimal(row["rate"]), "needs_confirmation": True},
        )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("deals", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
