from django.apps import AppConfig

from forecourt.core.navigation import NavItem, register_nav


class PurchasingConfig(AppConfig):
    name = "forecourt.purchasing"
    label = "purchasing"
    verbose_name = "Buying and stocking"

    def ready(self) -> None:
        register_nav(
            NavItem(
                "Buying", "purchasing:purchase-list", "purchasing.view_purchaseinvoice", order=50
            ),
            NavItem("Recon", "purchasing:recon-board", "purchasing.view_reconorder", order=51),
        )
        from forecourt.purchasing import signals

        signals.register()
