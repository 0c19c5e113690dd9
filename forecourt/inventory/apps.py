from django.apps import AppConfig

from forecourt.core.navigation import NavItem, register_nav


class InventoryConfig(AppConfig):
    name = "forecourt.inventory"
    label = "inventory"
    verbose_name = "Inventory"

    def ready(self) -> None:
        # Imported here, not at the top: these modules import the models, which Django
        # loads only after every app config (this module) is imported.
        from forecourt.core.dashboard import register_panel
        from forecourt.core.demo import register_seeder
        from forecourt.core.global_search import register_finder
        from forecourt.core.scheduler import register_job
        from forecourt.inventory import demo as inventory_demo
        from forecourt.inventory.actions import release_expired_holds
        from forecourt.inventory.dashboard import stock_summary
        from forecourt.inventory.media.feed import FEED_SCHEDULE, enqueue_all_feeds
        from forecourt.inventory.search import find_for_header

        register_nav(
            NavItem("Inventory", "inventory:vehicle-list", "inventory.view_vehicle", order=10)
        )
        register_finder("Vehicles", find_for_header, "inventory.view_vehicle", order=10)

        # Marketplace feeds are rebuilt by the scheduler (`forecourt worker`) every hour.
        register_job("inventory.feeds", FEED_SCHEDULE, enqueue_all_feeds)
        # A lapsed hold must not keep a unit off sale until someone tries to hold it again.
        register_job("inventory.expired_holds", "every 15m", release_expired_holds)
        register_panel("inventory/_dashboard.html", stock_summary, "inventory.view_vehicle", 10)
        register_seeder("inventory", inventory_demo.seed_demo, 20)
