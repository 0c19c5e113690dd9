from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "forecourt.core.security"
    label = "security"
    verbose_name = "Security"

    def ready(self) -> None:
        from forecourt.core.scheduler import register_job
        from forecourt.core.security import signals
        from forecourt.core.security.tasks import deactivate_idle_users

        signals.connect()
        # Safeguards 314.4(c)(1): accounts idle for 90 days lose access, checked nightly.
        register_job("security.deactivate_idle_users", "03:30", deactivate_idle_users.enqueue)
