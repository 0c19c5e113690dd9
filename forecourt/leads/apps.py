from django.apps import AppConfig


class LeadsConfig(AppConfig):
    name = "forecourt.leads"
    label = "leads"
    verbose_name = "Leads"
