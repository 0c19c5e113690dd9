from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "forecourt.finance"
    label = "finance"
    verbose_name = "Finance and F&I"

    def ready(self) -> None:
        from forecourt.core.scheduler import register_job
        from forecourt.finance.credit.retention import (
            RETENTION_SCHEDULE,
            dispose_expired_credit_applications,
        )

        register_job(
            "finance.credit_retention",
            RETENTION_SCHEDULE,
            dispose_expired_credit_applications.enqueue,
        )
