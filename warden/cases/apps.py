from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "warden.cases"
    label = "cases"
