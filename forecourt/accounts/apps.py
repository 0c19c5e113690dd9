from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "forecourt.accounts"
    label = "accounts"
    verbose_name = "Accounts, roles and rooftops"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from forecourt.accounts.roles import sync_roles_after_migrate

        # Later apps add models (and so permissions); keep the roles' grants current.
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="forecourt-sync-roles")
