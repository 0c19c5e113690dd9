from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "forecourt.core.security"
    label = "security"
    verbose_name = "Security"

    def ready(self) -> None:
        from forecourt.core.security import signals

        signals.connect()
