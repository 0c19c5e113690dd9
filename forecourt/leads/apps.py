from django.apps import AppConfig

from forecourt.core.navigation import NavItem, register_nav


class LeadsConfig(AppConfig):
    name = "forecourt.leads"
    label = "leads"
    verbose_name = "Leads"

    def ready(self) -> None:
        register_nav(
            NavItem("Leads", "leads:lead-board", "leads.view_lead", order=30),
            NavItem("My day", "leads:my-day", "leads.view_lead", order=31),
        )
        # Imported here: these modules import models, which Django loads only after every
        # app's config (a module-level import would run before the app registry is ready).
        from forecourt.core.dashboard import register_panel
        from forecourt.core.demo import register_seeder
        from forecourt.customers import registry as customers
        from forecourt.leads import demo as leads_demo
        from forecourt.leads.actions import erase_personal_text
        from forecourt.leads.dashboard import leads_summary
        from forecourt.leads.retention import open_leads, open_test_drives

        register_panel("leads/_dashboard.html", leads_summary, "leads.view_lead", 5)
        # The customers app never imports leads: what it needs from here is registered.
        customers.register_open_business("leads.open_lead", "an open lead", open_leads)
        customers.register_open_business(
            "leads.open_test_drive", "a vehicle out on a test drive", open_test_drives
        )
        customers.register_personal_text_eraser("leads", erase_personal_text)
        customers.register_customer_section(
            "leads/_customer_timeline.html", "leads.view_activity", 10
        )
        register_seeder("leads", leads_demo.seed_demo, 40)
