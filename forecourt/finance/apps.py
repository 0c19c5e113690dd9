from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "forecourt.finance"
    label = "finance"
    verbose_name = "Finance and F&I"
