"""The demo's open general licence: the shipped illustrative OGLs published, one exporter registered to use
OGL-MIL-COMPONENTS (two months ago, before its first use) and one use reported, all through the services.
Illustrative data: no real licence."""

from __future__ import annotations

import datetime as dt

from warden.accounts.actors import Actor
from warden.accounts.models import User
from warden.lib import clock
from warden.ogl import loader, services
from warden.ogl.models import OglRegistration, OpenGeneralLicence

REFERENCE = "OGL-MIL-COMPONENTS"
DECLARATION = "DEMO-26GB-OGL-000001"


def ensure_demo_ogl(*, actor: Actor, exporter: User) -> str | None:
    """Publish the shipped OGLs (as `actor`), register `exporter`'s organisation and report one use; the
    registration's reference, or None when the demo registration is already there."""
    loader.load_file(actor=actor)
    ogl = OpenGeneralLicence.objects.get(reference=REFERENCE)
    if OglRegistration.objects.filter(ogl=ogl, organisation=exporter.organisation).exists():
        return None
    now = clock.now()
    with clock.travel(now - dt.timedelta(days=60)):
        reg = services.register(actor=exporter, ogl=ogl)
    services.report_use(
        actor=exporter,
        registration=reg,
        report=services.UseReport(
            shipped_on=clock.today() - dt.timedelta(days=20),
            customs_declaration=DECLARATION,
            destination="NO",
            ratings=["ML10.d"],
            description="Main rotor blade spares for NH90 helicopters in service",
            quantity=6,
            value="48000.00",
            currency="GBP",
            consignee_name="Kjeller Aero Services AS",
            end_user_name="Norwegian Defence Materiel Agency",
        ),
    )
    return reg.reference
