"""End-use checks planned from risk once a licence exists (issue 13 §2): called by the case-decision flow
after a licence is issued, and by the callers that record a shipment right after it is recorded. The
planning runs as the system, whoever issued or shipped: the choice of a check is the authority's risk
finding, and an exporter recording a shipment must not learn that a check follows it."""

from __future__ import annotations

from warden.accounts.actors import Actor
from warden.enduse import services as enduse_services
from warden.enduse.models import EndUseCheck
from warden.lib.actors import system
from warden.licences.models import Licence, Shipment


def after_licence_issued(*, licence: Licence) -> list[EndUseCheck]:
    actor: Actor = system("licence issued: plan end-use checks from risk")
    return enduse_services.plan_checks(actor=actor, licence=licence)


def after_shipment_recorded(*, shipment: Shipment) -> list[EndUseCheck]:
    actor: Actor = system("shipment recorded: plan end-use checks from risk")
    return enduse_services.plan_checks(actor=actor, licence=shipment.licence, shipment=shipment)
