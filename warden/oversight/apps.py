from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "warden.oversight"
    label = "oversight"
