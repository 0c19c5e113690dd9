"""Create the role groups with their permissions (see forecourt/accounts/roles.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from forecourt.accounts.roles import sync_roles


def seed_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so the
    # roles get their grants in this migration, on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_roles(apps, schema_editor):
    from forecourt.accounts.roles import Role

    apps.get_model("auth", "Group").objects.filter(name__in=[r.value for r in Role]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(seed_roles, remove_roles)]
