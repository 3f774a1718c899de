from django.apps import AppConfig


class TransparencyConfig(AppConfig):
    name = "warden.transparency"
    label = "transparency"
    verbose_name = "Public transparency and licence verification"
