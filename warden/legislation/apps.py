from django.apps import AppConfig


class LegislationConfig(AppConfig):
    name = "warden.legislation"
    label = "legislation"

    def ready(self) -> None:
        from warden.cases import hooks

        # Final decisions compare themselves with the engine's recommendation (warden.cases.decisions).
        from warden.legislation.engine_view import engine_view

        hooks.engine_view_provider(engine_view)
