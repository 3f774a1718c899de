from django.apps import AppConfig


class RegionConfig(AppConfig):
    name = "warden.region"
    label = "region"
    verbose_name = "Regional stability"
