from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "forecourt.inventory"
    label = "inventory"
    verbose_name = "Inventory"
