"""Open general licences: publishing versions, registering, the holder's and the senior officer's status
changes, and the exporter's report of each use. Each function checks warden.ogl.policy, runs in one
transaction and writes its audit entry in it. Refusals raise NotPermitted / InvalidInput / Conflict
(warden.lib.errors), naming the field and the condition broken.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from warden.accounts.actors import Actor, is_system, the_person
from warden.audit.services import record
from warden.lib import clock
from warden.lib.errors import Conflict, IllegalTransition, InvalidInput, NotPermitted
from warden.ogl import conditions, policy
from warden.ogl import terms as t
from warden.ogl.models import (
    OglRegistration,
    OglRegistrationEvent,
    OglUse,
    OglVersion,
    OpenGeneralLicence,
    RegistrationStatus,
)

S = RegistrationStatus


def _same_terms(v: OglVersion, terms: t.Terms) -> bool:
    """A held version has `terms`; an open end in the file matches the end a later version gave it."""
    wanted = terms.as_fields()
    if terms.effective_until is None:
        wanted.pop("effective_until")
    return all(getattr(v, name) == value for name, value in wanted.items())


@transaction.atomic
def publish(*, actor: Actor, reference: str, title: str, terms: t.Terms) -> OglVersion:
    """Publish a new OGL, or a new version of one: the version in force before it ends the day this one
    starts (law as data: an earlier version is never edited, it is closed). A version may not start on or
    before the start of the latest one: the past is not rewritten."""
    if not policy.may(actor, policy.OglAction.PUBLISH):
        raise NotPermitted("Only the policy officer publishes open general licences")
    ref = t.text(reference, "reference", limit=60).upper()
    if not t.REFERENCE.match(ref):
        raise InvalidInput(
            f"reference: {reference!r}: capital letters, digits and hyphens (OGL-MIL-COMPONENTS)",
            field="reference",
        )
    name = t.text(title, "title", limit=300)
    now = clock.now()
    ogl, created = OpenGeneralLicence.objects.select_for_update().get_or_create(
        reference=ref, defaults={"title": name, "created_at": now}
    )
    latest = ogl.versions.order_by("-effective_from").first()
    if latest is not None and terms.effective_from <= latest.effective_from:
        raise InvalidInput(
            f"effective_from: {terms.effective_from} is not after the start of version {latest.number} "
            f"({latest.effective_from}); a new version starts later",
            field="effective_from",
        )
    if latest is not None and (
        latest.effective_until is None or latest.effective_until > terms.effective_from
    ):
        latest.effective_until = terms.effective_from
        latest.save(update_fields=["effective_until"])
    if ogl.title != name:
        ogl.title = name
        ogl.save(update_fields=["title"])
    person = actor if not is_system(actor) else None
    version = OglVersion.objects.create(
        ogl=ogl,
        number=(latest.number + 1) if latest else 1,
        published_at=now,
        published_by=person,
        **terms.as_fields(),
    )
    record(
        actor=actor,
        action="ogl.publish",
        target=version,
        data={
            "reference": ref,
            "version": version.number,
            "effective_from": terms.effective_from.isoformat(),
            "effective_until": terms.effective_until.isoformat() if terms.effective_until else None,
            "citation": terms.citation,
            "new_licence": created,
        },
    )
    return version


@dataclass
class LoadResult:
    published: list[str]
    unchanged: list[str]

    def summary(self) -> str:
        return f"{len(self.published)} version(s) published, {len(self.unchanged)} unchanged"


@transaction.atomic
def load(*, actor: Actor, document: Any, filename: str = "") -> LoadResult:
    """Publish what a warden.ogl/1 document holds that is not yet published (all or nothing). A version
    already held (same OGL, same start) must have the same terms: the file may not rewrite published law."""
    if not policy.may(actor, policy.OglAction.PUBLISH):
        raise NotPermitted("Only the policy officer publishes open general licences")
    where = filename or "document"
    if not isinstance(document, dict) or document.get("format") != "warden.ogl/1":
        raise InvalidInput(f"{where}: not a warden.ogl/1 document (format: warden.ogl/1)", field="format")
    licences = document.get("licences")
    if not isinstance(licences, list) or not licences:
        raise InvalidInput(
            f"{where}: licences: a list of open general licences is required", field="licences"
        )
    result = LoadResult(published=[], unchanged=[])
    for i, entry in enumerate(licences):
        if not isinstance(entry, dict):
            raise InvalidInput(f"{where}: licences[{i}]: not a mapping", field=f"licences/{i}")
        ref = str(entry.get("reference", "")).strip().upper()
        versions = entry.get("versions")
        if not isinstance(versions, list) or not versions:
            raise InvalidInput(f"{where}: {ref or i}: versions: at least one", field=f"licences/{i}/versions")
        parsed: list[tuple[int, t.Terms]] = []
        for j, raw in enumerate(versions):
            try:
                if not isinstance(raw, dict):
                    raise InvalidInput("not a mapping")
                parsed.append((j, t.parse_terms(raw)))
            except InvalidInput as exc:
                raise InvalidInput(
                    f"{where}: {ref or i}, version {j + 1}: {exc}", field=f"licences/{i}/versions/{j}"
                ) from None
        # In date order, whatever the file's order: each version closes the one before it.
        for j, terms in sorted(parsed, key=lambda p: p[1].effective_from):
            held = OglVersion.objects.filter(ogl__reference=ref, effective_from=terms.effective_from).first()
            label = f"{ref} from {terms.effective_from}"
            try:
                if held is None:
                    publish(actor=actor, reference=ref, title=entry.get("title", ""), terms=terms)
                    result.published.append(label)
                elif _same_terms(held, terms):
                    result.unchanged.append(label)
                else:
                    raise InvalidInput(
                        f"version from {terms.effective_from} is already published with other terms; "
                        "publish a new version with a later effective_from"
                    )
            except InvalidInput as exc:
                raise InvalidInput(
                    f"{where}: {ref or i}, version {j + 1}: {exc}", field=f"licences/{i}/versions/{j}"
                ) from None
    return result


def _event(reg: OglRegistration, status: str, actor: Actor, reason: str = "") -> None:
    now = clock.now()
    reg.status, reg.status_changed_at, reg.status_reason = status, now, reason
    reg.save(update_fields=["status", "status_changed_at", "status_reason"])
    person = actor if not is_system(actor) else None
    OglRegistrationEvent.objects.create(registration=reg, status=status, at=now, by=person, reason=reason)


# Statuses on which an organisation may not register again: it holds one, or the authority stopped it.
BARRING = {
    S.EXTANT: "already holds",
    S.SUSPENDED: "is suspended from",
    S.REVOKED: "had its registration revoked for",
}


@transaction.atomic
def register(*, actor: Actor, ogl: OpenGeneralLicence) -> OglRegistration:
    """Register the actor's organisation to use `ogl` (before first use, as the UK, Malta and Ireland
    require). Refused while it holds an extant registration, or is suspended or revoked on this OGL."""
    if not policy.may(actor, policy.OglAction.REGISTER):
        raise NotPermitted("Only an exporter registers its organisation to use an open general licence")
    person = the_person(actor, "register to use an open general licence")
    assert person.organisation is not None  # policy.may checked it
    today = clock.today()
    # The OGL's row is the lock: two requests registering the same organisation at once make one registration.
    ogl = OpenGeneralLicence.objects.select_for_update().get(pk=ogl.pk)
    if ogl.version_on(today) is None:
        raise Conflict(f"{ogl.reference} is not in force today ({today}): there is nothing to register for")
    held = (
        OglRegistration.objects.select_for_update()
        .filter(organisation=person.organisation, ogl=ogl, status__in=list(BARRING))
        .order_by("-registered_at")
        .first()
    )
    if held is not None:
        raise Conflict(
            f"{person.organisation.name} {BARRING[S(held.status)]} {ogl.reference} "
            f"(registration {held.reference}); it cannot register again"
        )
    now = clock.now()
    reg = OglRegistration.objects.create(
        organisation=person.organisation,
        ogl=ogl,
        reference=f"pending-{now.timestamp()}-{person.pk}",
        registered_at=now,
        registered_by=person,
        status=S.EXTANT,
        status_changed_at=now,
    )
    # The reference quoted on customs declarations: the OGL's and the registration's number (no "/", so
    # that it goes in a URL path as it is).
    reg.reference = f"{ogl.reference}-{reg.pk:06d}"
    reg.save(update_fields=["reference"])
    OglRegistrationEvent.objects.create(registration=reg, status=S.EXTANT, at=now, by=person)
    record(
        actor=actor,
        action="ogl.register",
        target=reg,
        data={"registration": reg.reference, "ogl": ogl.reference, "organisation": person.organisation.name},
    )
    return reg


# action -> (statuses it may start from, status it leads to, who: holder or senior officer)
CHANGES: dict[str, tuple[frozenset[str], str, str]] = {
    "deregister": (frozenset({S.EXTANT}), S.DEREGISTERED, "holder"),
    "surrender": (frozenset({S.EXTANT}), S.SURRENDERED, "holder"),
    "suspend": (frozenset({S.EXTANT}), S.SUSPENDED, "officer"),
    "revoke": (frozenset({S.EXTANT, S.SUSPENDED}), S.REVOKED, "officer"),
    "reinstate": (frozenset({S.SUSPENDED}), S.EXTANT, "officer"),
}


@transaction.atomic
def change_status(
    *, actor: Actor, registration: OglRegistration, action: str, reason: str = ""
) -> OglRegistration:
    """The holder deregisters or surrenders; the senior officer suspends, revokes or reinstates (with a
    reason: the sanction ladder of after-licence.md section 4.1). A suspended holder may not deregister
    itself out of the suspension."""
    if action not in CHANGES:
        raise InvalidInput(f"action: {action!r}: one of {', '.join(CHANGES)}", field="action")
    starts, to, who = CHANGES[action]
    if who == "holder":
        if not policy.holds(actor, registration):
            raise NotPermitted(
                f"Only an exporter of {registration.organisation.name} may {action} this registration"
            )
    elif not policy.may(actor, policy.OglAction.SANCTION):
        raise NotPermitted(f"Only a senior officer may {action} an OGL registration")
    why = t.text(reason, "reason", required=who == "officer", limit=2000)
    reg = OglRegistration.objects.select_for_update().get(pk=registration.pk)
    if reg.status not in starts:
        raise IllegalTransition(
            f"Registration {reg.reference} is {reg.get_status_display().lower()}: it cannot be {to}"
            if action != "reinstate"
            else f"Registration {reg.reference} is {reg.get_status_display().lower()}: only a suspended one is reinstated"
        )
    before = reg.status
    _event(reg, to, actor, why)
    record(
        actor=actor,
        action=f"ogl.{action}",
        target=reg,
        data={"registration": reg.reference, "from": before, "to": to, "reason": why},
    )
    registration.refresh_from_db()
    return reg


@dataclass(frozen=True)
class UseReport:
    """A use as the exporter reports it (raw: the services check every field)."""

    shipped_on: Any
    destination: Any
    ratings: Any
    description: Any
    quantity: Any
    value: Any
    currency: Any
    consignee_name: Any
    end_user_name: Any
    customs_declaration: Any
    end_use_flags: Any = ()


@transaction.atomic
def report_use(*, actor: Actor, registration: OglRegistration, report: UseReport) -> tuple[OglUse, bool]:
    """Record one use of an OGL, checked against the version in force on the shipment date. Idempotent on
    the customs declaration: the same report again returns the use already held (created False); the same
    declaration with other details is a conflict."""
    if not policy.holds(actor, registration):
        raise NotPermitted(
            f"Only an exporter of {registration.organisation.name} reports uses of this registration"
        )
    person = the_person(actor, "report a use of an open general licence")
    declaration = t.text(report.customs_declaration, "customs_declaration", limit=80)
    shipped_on = t.date(report.shipped_on, "shipped_on")
    assert shipped_on is not None
    today = clock.today()
    if shipped_on > today:
        raise InvalidInput(
            f"shipped_on: {shipped_on} is in the future; report a use once shipped", field="shipped_on"
        )
    dest = t.codes(report.destination, "destination")
    if len(dest) != 1:
        raise InvalidInput("destination: one country code", field="destination")
    ratings = t.ratings(report.ratings, "ratings")
    if not ratings:
        raise InvalidInput("ratings: at least one control-list rating", field="ratings")
    fields: dict[str, Any] = {
        "shipped_on": shipped_on,
        "destination": dest[0],
        "ratings": list(ratings),
        "description": t.text(report.description, "description", limit=2000),
        "quantity": t.whole(report.quantity, "quantity"),
        "value_amount": t.amount(report.value, "value"),
        "currency": t.currency(report.currency, "currency"),
        "consignee_name": t.text(report.consignee_name, "consignee_name", limit=500),
        "end_user_name": t.text(report.end_user_name, "end_user_name", limit=500),
        "end_use_flags": list(t.flags(report.end_use_flags, "end_use_flags")),
    }
    reg = OglRegistration.objects.select_for_update().select_related("ogl").get(pk=registration.pk)
    held = OglUse.objects.filter(registration=reg, customs_declaration=declaration).first()
    if held is not None:
        if all(getattr(held, k) == v for k, v in fields.items()):
            return held, False  # a retried request or a double click: the one use already recorded
        raise Conflict(
            f"customs_declaration: {declaration} was already reported for {reg.reference} "
            f"(shipped {held.shipped_on}) with other details",
            field="customs_declaration",
        )
    conditions.covered(reg, shipped_on)
    version = (
        OglVersion.objects.select_related("ogl")
        .filter(ogl=reg.ogl, effective_from__lte=shipped_on)
        .order_by("-effective_from")
        .first()
    )
    if version is None or not version.in_force_on(shipped_on):
        raise InvalidInput(
            f"shipped_on: {reg.ogl.reference} was not in force on {shipped_on}", field="shipped_on"
        )
    conditions.check_use(
        version,
        destination=fields["destination"],
        ratings=fields["ratings"],
        flags=fields["end_use_flags"],
        value=fields["value_amount"],
        currency=fields["currency"],
    )
    use = OglUse.objects.create(
        registration=reg,
        version=version,
        customs_declaration=declaration,
        reported_at=clock.now(),
        reported_by=person,
        **fields,
    )
    record(
        actor=actor,
        action="ogl.use",
        target=use,
        data={
            "registration": reg.reference,
            "version": version.number,
            "customs_declaration": declaration,
            "shipped_on": shipped_on.isoformat(),
            "destination": fields["destination"],
            "ratings": fields["ratings"],
            "value": f"{fields['value_amount']} {fields['currency']}",
        },
    )
    return use, True
