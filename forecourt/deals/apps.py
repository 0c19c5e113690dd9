from django.apps import AppConfig

from forecourt.core.navigation import NavItem, register_nav


class DealsConfig(AppConfig):
    name = "forecourt.deals"
    label = "deals"
    verbose_name = "Deals"

    def ready(self) -> None:
        register_nav(NavItem("Deals", "deals:deal-list", "deals.view_deal", order=40))
        # Imported here: the demo module imports models, which Django loads after every
        # app's config.
        from forecourt.core.demo import register_seeder
        from forecourt.deals import demo as deals_demo

        register_seeder("deals", deals_demo.seed_demo, 50)
