from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "warden.screening"
    label = "screening"
