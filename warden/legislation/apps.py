from django.apps import AppConfig


class LegislationConfig(AppConfig):
    name = "warden.legislation"
    label = "legislation"
