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

        from forecourt.accounts import demo as accounts_demo
        from forecourt.accounts.invitations.actions import expire_invitations
        from forecourt.accounts.models import ApiToken, Rooftop
        from forecourt.accounts.roles import sync_roles_after_migrate
        from forecourt.accounts.views import rooftops_panel
        from forecourt.core.dashboard import register_panel
        from forecourt.core.demo import register_logins, register_seeder
        from forecourt.core.scheduler import register_job
        from forecourt.core.security.passwords import register_context_words
        from forecourt.core.security.reauth import register_token_credential

        # Later apps add models (and so permissions); keep the roles' grants current.
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="forecourt-sync-roles")
        # Core stays below accounts: it learns about rooftops and tokens through registries.
        register_panel("accounts/_dashboard_rooftops.html", rooftops_panel, None, 0)
        register_context_words(
            lambda: (text for pair in Rooftop.objects.values_list("code", "name") for text in pair)
        )
        register_token_credential(ApiToken)
        # A late link is refused by its date anyway; this keeps the Users page's list true.
        register_job("accounts.expire_invitations", "every 1h", expire_invitations)
        register_seeder("accounts", accounts_demo.seed_demo, 0)
        register_logins(accounts_demo.demo_logins)
