from django.apps import AppConfig


class LeadsConfig(AppConfig):
    name = "forecourt.leads"
    label = "leads"
    verbose_name = "Leads"

    def ready(self) -> None:
        from forecourt.core.dashboard import register_panel
        from forecourt.leads.dashboard import leads_summary

        register_panel("leads/_dashboard.html", leads_summary, "leads.view_lead", 5)
