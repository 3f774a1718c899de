from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "warden.screening"
    label = "screening"

    def ready(self) -> None:
        # Screening runs on submit before the assessment (priority 20), which reads its matches.
        from warden.cases import hooks
        from warden.screening import services

        hooks.on_submit(10, "screening")(services.on_submit)
        # No decision over an open screening question (warden.screening.gate).
        from warden.screening import gate

        hooks.decision_gate("screening")(gate.why_blocked)
