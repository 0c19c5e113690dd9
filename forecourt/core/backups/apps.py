from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "forecourt.core.backups"
    label = "backups"
    verbose_name = "Backups and operations"

    def ready(self) -> None:
        from forecourt.core.backups import jobs

        jobs.register()
