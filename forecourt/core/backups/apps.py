from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "forecourt.core.backups"
    label = "backups"
    verbose_name = "Backups and operations"
