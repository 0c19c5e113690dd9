from django.apps import AppConfig

from forecourt.core.navigation import NavItem, register_nav


class FinanceConfig(AppConfig):
    name = "forecourt.finance"
    label = "finance"
    verbose_name = "Finance and F&I"

    def ready(self) -> None:
        register_nav(NavItem("Finance", "finance:desk", "finance.view_financeproduct", order=60))
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
