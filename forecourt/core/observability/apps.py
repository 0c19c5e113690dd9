from django.apps import AppConfig


class ObservabilityConfig(AppConfig):
    name = "forecourt.core.observability"
    label = "observability"
    verbose_name = "Observability"
