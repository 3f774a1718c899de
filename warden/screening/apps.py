from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "warden.screening"
    label = "screening"

    def ready(self) -> None:
        from warden.cases import hooks

        # No decision over an open screening question (warden.screening.gate).
        from warden.screening import gate

        hooks.decision_gate("screening")(gate.why_blocked)
