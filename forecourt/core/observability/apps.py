from django.apps import AppConfig


class ObservabilityConfig(AppConfig):
    name = "forecourt.core.observability"
    label = "observability"
    verbose_name = "Observability"

    def ready(self) -> None:
        # Connect the signal receivers (sign-in detectors, exception alerts, task metrics).
        from forecourt.core.observability import detectors, signals  # noqa: F401
