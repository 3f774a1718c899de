from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "warden.inbox"
    label = "inbox"
    verbose_name = "Notifications and bulletins"
