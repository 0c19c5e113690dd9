from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "forecourt.core"
    label = "core"
    verbose_name = "Forecourt core"
