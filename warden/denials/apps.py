from django.apps import AppConfig


class DenialsConfig(AppConfig):
    # No grant over an undercut question: warden.denials.policy.why_no_grant is one of the decision gates
    # warden.flows.case_decision.context() hands every case decision (no registry, no ready() hook).
    name = "warden.denials"
    label = "denials"
