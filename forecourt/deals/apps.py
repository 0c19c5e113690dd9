from django.apps import AppConfig


class DealsConfig(AppConfig):
    name = "forecourt.deals"
    label = "deals"
    verbose_name = "Deals"
