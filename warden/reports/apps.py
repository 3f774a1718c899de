from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "warden.reports"
    label = "reports"
    verbose_name = "Annual reports (ATT, UNROCA, COARM, national)"
