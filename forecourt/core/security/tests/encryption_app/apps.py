from django.apps import AppConfig


class EncryptionTestAppConfig(AppConfig):
    """A test-only app (installed when FORECOURT_ENV=test) with encrypted customer fields."""

    name = "forecourt.core.security.tests.encryption_app"
    label = "security_testapp"
    default_auto_field = "django.db.models.BigAutoField"
