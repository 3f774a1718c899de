from django.apps import AppConfig


class CatchAllConfig(AppConfig):
    name = "warden.catchall"
    label = "catchall"
    verbose_name = "Catch-all referrals"
