from django.apps import AppConfig

from forecourt.core.navigation import ADMIN, NavItem, register_nav


class AccountsConfig(AppConfig):
    name = "forecourt.accounts"
    label = "accounts"
    verbose_name = "Accounts, roles and rooftops"

    def ready(self) -> None:
        register_nav(
            NavItem("Rooftops", "accounts:rooftop-list", "accounts.view_rooftop", ADMIN, 10),
            NavItem("Users", "accounts:user-list", "accounts.view_user", ADMIN, 20),
            NavItem("API tokens", "accounts:token-list", "accounts.view_apitoken", ADMIN, 30),
        )
        from django.db.models.signals import post_migrate

        from forecourt.accounts.roles import sync_roles_after_migrate

        # Later apps add models (and so permissions); keep the roles' grants current.
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="forecourt-sync-roles")
