"""The list's name order for any scope: a subquery-scoped list (the API, a user of several
rooftops, every rooftop) walks (last_name, first_name, id) and filters by rooftop. The
upper() index it replaces served nothing: prefixes use 0002's text_pattern_ops indexes."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_seed_roles"),
        ("customers", "0002_search_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="customer",
            name="customer_name_upper",
        ),
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(fields=["last_name", "first_name", "id"], name="customer_name"),
        ),
    ]
