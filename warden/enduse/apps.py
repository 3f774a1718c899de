from django.apps import AppConfig


class EndUseConfig(AppConfig):
    # Checks are planned by warden.flows.end_use after a licence is issued or a shipment recorded: no signal.
    name = "warden.enduse"
    label = "enduse"
