from django.apps import AppConfig


class LegislationConfig(AppConfig):
    name = "warden.legislation"
    label = "legislation"

    def ready(self) -> None:
        # The criteria assessment runs on submit, after screening (priority 10), whose matches it reads.
        from warden.cases import hooks
        from warden.legislation import services

        hooks.on_submit(20, "legislation.assessment")(services.on_submit)
        # Final decisions compare themselves with the engine's recommendation (warden.cases.decisions).
        from warden.legislation.engine_view import engine_view

        hooks.engine_view_provider(engine_view)
