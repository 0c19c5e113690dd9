from django.apps import AppConfig


class PurchasingConfig(AppConfig):
    name = "forecourt.purchasing"
    label = "purchasing"
    verbose_name = "Buying and stocking"

    def ready(self) -> None:
        from forecourt.purchasing import signals

        signals.register()
