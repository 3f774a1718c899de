from django.apps import AppConfig


class OglConfig(AppConfig):
    # Open general licences: published by the authority, registered for by exporters, their use reported.
    name = "warden.ogl"
    label = "ogl"
