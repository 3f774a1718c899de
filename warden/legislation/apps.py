from django.apps import AppConfig


class LegislationConfig(AppConfig):
    # No ready() wiring: what a case decision needs from this app is passed in by warden.flows.case_decision.
    name = "warden.legislation"
    label = "legislation"
