from django.apps import AppConfig

from forecourt.core.navigation import ADMIN, NavItem, register_nav

# Safeguards 314.4(c)(6): customers past the retention period are disposed of nightly,
# after the backups (02:00) and before idle-user deactivation (03:30).
RETENTION_SCHEDULE = "03:15"


class CustomersConfig(AppConfig):
    name = "forecourt.customers"
    label = "customers"
    verbose_name = "Customers"

    def ready(self) -> None:
        # Imported here: these modules import models, which Django loads only after every
        # app's config (a module-level import would run before the app registry is ready).
        from forecourt.core.demo import register_seeder
        from forecourt.core.global_search import register_finder
        from forecourt.core.scheduler import register_job
        from forecourt.customers import demo as customers_demo
        from forecourt.customers.compliance.actions import dispose_due_customers
        from forecourt.customers.search import find_for_header

        register_nav(
            NavItem("Customers", "customers:customer-list", "customers.view_customer", order=20),
            NavItem(
                "Retention", "customers:retention-report", "customers.dispose_customer", ADMIN, 50
            ),
        )
        register_finder("Customers", find_for_header, "customers.view_customer", order=20)
        register_job(
            "customers.retention_disposal", RETENTION_SCHEDULE, dispose_due_customers.enqueue
        )
        register_seeder("customers", customers_demo.seed_demo, 30)
