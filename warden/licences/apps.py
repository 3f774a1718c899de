from django.apps import AppConfig


class LicencesConfig(AppConfig):
    name = "warden.licences"
    label = "licences"
