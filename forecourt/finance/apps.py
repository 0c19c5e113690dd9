from django.apps import AppConfig

from forecourt.core.navigation import NavItem, register_nav


class FinanceConfig(AppConfig):
    name = "forecourt.finance"
    label = "finance"
    verbose_name = "Finance and F&I"

    def ready(self) -> None:
        register_nav(NavItem("Finance", "finance:desk", "finance.view_financeproduct", order=60))
        # Imported here: models and deals' registry load only once the app registry is ready.
        from forecourt.core.scheduler import register_job
        from forecourt.deals import registry
        from forecourt.finance.contracts.actions import deal_back_gross
        from forecourt.finance.contracts.panel import deal_panel_context
        from forecourt.finance.credit.retention import (
            RETENTION_SCHEDULE,
            dispose_expired_credit_applications,
        )

        register_job(
            "finance.credit_retention",
            RETENTION_SCHEDULE,
            dispose_expired_credit_applications.enqueue,
        )
        registry.register_back_gross("finance", deal_back_gross)
        registry.register_jacket_panel(
            "finance/_deal_panel.html", deal_panel_context, "finance.view_financecontract"
        )
