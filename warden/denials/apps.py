from django.apps import AppConfig

from warden.cases import hooks  # no models: safe to import before the app registry is ready


class DenialsConfig(AppConfig):
    name = "warden.denials"
    label = "denials"

    def ready(self) -> None:
        # No grant over an undercut question (warden.denials.policy.why_no_grant), by the same decision-gate
        # registry screening uses, so the refusal reaches every path (case page, API, CLI) through
        # warden.cases.policy. When the gates move into warden/flows (docs/architecture.md, "What still
        # points up"), this line moves with them.
        from warden.denials import policy

        hooks.decision_gate("denials")(policy.why_no_grant)
