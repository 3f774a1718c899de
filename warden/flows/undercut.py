"""A new or amended application checked against partners' denials (Common Position 2008/944/CFSP Art. 4):
called by the submission flow once the case is stored and submitted, and by the amendment flow after an
amended application, in the same transaction, so that a case essentially identical to a denial in force
carries its flag from the start (and loses it when amended away). Re-checks after a partner's revision are
warden.denials.services.import_denials' own business."""

from __future__ import annotations

from warden.accounts.actors import Actor
from warden.cases.models import Case
from warden.denials import services as denial_services
from warden.lib.actors import system


def check_new_application(*, case: Case) -> None:
    # The system flags, whoever submitted: the exporter must not learn of the denial, and the flag is the
    # authority's finding, not the exporter's act.
    actor: Actor = system("submission: check against partner denials")
    denial_services.check_case(actor=actor, case=case)
