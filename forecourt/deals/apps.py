from django.apps import AppConfig


class DealsConfig(AppConfig):
    name = "forecourt.deals"
    label = "deals"
    verbose_name = "Deals"

    def ready(self) -> None:
        # Imported here: the demo module imports models, which Django loads after every
        # app's config.
        from forecourt.core.demo import register_seeder
        from forecourt.deals import demo as deals_demo

        register_seeder("deals", deals_demo.seed_demo, 50)
