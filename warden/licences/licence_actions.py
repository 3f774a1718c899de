"""The licence actions the licence page offers: their forms and the service calls they make. Which of them a
user sees comes from warden.licences.policy.allowed_licence_actions."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any

from django import forms

from warden.accounts.actors import Actor, person
from warden.lib import clock
from warden.lib.form_actions import FormAction
from warden.licences import policy, services
from warden.licences.models import Licence, LicenceLine, LicenceStatus, Shipment
from warden.licences.money import money

STATUS_CHOICES = LicenceStatus.choices


class LicenceForm(forms.Form):
    def __init__(self, *args: Any, licence: Licence, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.licence = licence


class LicenceReasonForm(LicenceForm):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}))


class ShipmentForm(LicenceForm):
    line = forms.ModelChoiceField(label="Goods line", queryset=LicenceLine.objects.none(), empty_label=None)
    quantity = forms.IntegerField(label="Quantity shipped", min_value=1)
    # No decimal_places here: the service rounds every amount by the one rule (warden.licences.money), so the
    # page and the API agree on 10.005 (10.01) instead of the page refusing it.
    value_amount = forms.DecimalField(
        label="Value shipped",
        min_value=0,
        required=False,
        help_text="In the line's currency. Leave empty to use the line's share of its licensed value.",
    )
    # An <input type=date> only takes ISO dates: the locale's format (28/11/2026) would show an empty field.
    shipped_on = forms.DateField(
        label="Shipped on", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reference = forms.CharField(label="Shipment reference", max_length=100, required=False)
    # A global licence's shipment names its destination (one of the licence's lines); absent otherwise.
    # Typed, not chosen from a list, so that a country off the licence gets the service's answer (what is allowed).
    destination = forms.CharField(label="Destination (country code)", required=False, max_length=2)
    # A fresh key each time the form is drawn: a double click (or a resubmitted page) posts the same key
    # twice, and the service records one shipment for it.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)

    def __init__(self, *args: Any, licence: Licence, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"shipped_on": clock.today()})
        super().__init__(*args, licence=licence, **kwargs)
        self.fields["idempotency_key"].initial = uuid.uuid4().hex
        countries = [d.country for d in licence.destinations.all()]
        if countries:
            self.fields[
                "destination"
            ].help_text = f"One of this licence's destinations: {', '.join(countries)}"
        else:
            del self.fields["destination"]
        field = self.fields["line"]
        field.queryset = licence.lines.select_related("goods_line")  # type: ignore[attr-defined]
        field.label_from_instance = lambda ln: (  # type: ignore[attr-defined]
            f"{ln.goods_line.description} ({ln.goods_line.rating}): "
            f"{ln.quantity - ln.shipped_quantity} of {ln.quantity} left, "
            f"{money(ln.value_amount - ln.shipped_value)} {ln.currency}"
        )


class ReturnsUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV return",
        help_text="Columns licence_number, line, quantity, value_amount, currency, shipped_on, "
        "declaration_reference. All rows are recorded, or none; a file imported before records nothing new.",
    )


def is_replay(user: Any, licence: Licence, data: Mapping[str, Any]) -> bool:
    """Whether this POST repeats a shipment already recorded with its one-time key (a double click): it then
    goes to the service, which returns that shipment, even if the licence has since been used up."""
    key = str(data.get("idempotency_key") or "").strip()
    who = person(user)
    return (
        bool(key)
        and who is not None
        and (Shipment.objects.filter(licence=licence, recorded_by=who, idempotency_key=key).exists())
    )


class ReturnForm(LicenceForm):
    returned_on = forms.DateField(
        label="Returned on", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, licence: Licence, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"returned_on": clock.today()})
        super().__init__(*args, licence=licence, **kwargs)


def _return(actor: Actor, licence: Licence, data: dict[str, Any]) -> str:
    services.record_return(
        actor=actor, licence=licence, returned_on=data["returned_on"], note=data.get("note", "")
    )
    return f"Return of the goods of licence {licence.number} recorded."


# The licence page's actions: a FormAction on a Licence, asked for with a LicenceForm.
LicenceActionSpec = FormAction[Licence, type[LicenceForm]]


def _with_reason(step: Callable[..., Any], done: str) -> Callable[[Any, Licence, dict[str, Any]], str]:
    """The lifecycle steps that take only a reason (suspend, reinstate, revoke, surrender) share one runner."""

    def run(actor: Actor, licence: Licence, data: dict[str, Any]) -> str:
        step(actor=actor, licence=licence, reason=data["reason"])
        return f"Licence {licence.number} {done}."

    return run


_suspend = _with_reason(services.suspend_licence, "suspended")
_reinstate = _with_reason(services.reinstate_licence, "reinstated")
_revoke = _with_reason(services.revoke_licence, "revoked")
_surrender = _with_reason(services.surrender_licence, "surrendered")


def _ship(actor: Actor, licence: Licence, data: dict[str, Any]) -> str:
    done = services.record_shipment_once(
        actor=actor,
        licence=licence,
        line=data["line"],
        quantity=data["quantity"],
        value_amount=data.get("value_amount"),
        shipped_on=data["shipped_on"],
        reference=data.get("reference", ""),
        idempotency_key=data.get("idempotency_key") or None,
        destination=data.get("destination") or None,
    )
    if done.replayed:
        return f"Shipment recorded against licence {licence.number} (sent twice; recorded once)."
    return f"Shipment recorded against licence {licence.number}."


LICENCE_ACTIONS: dict[str, LicenceActionSpec] = {
    policy.LicenceAction.RECORD_SHIPMENT: LicenceActionSpec("Record a shipment", ShipmentForm, _ship),
    policy.LicenceAction.SUSPEND: LicenceActionSpec(
        "Suspend the licence", LicenceReasonForm, _suspend, danger=True
    ),
    policy.LicenceAction.REINSTATE: LicenceActionSpec("Reinstate the licence", LicenceReasonForm, _reinstate),
    policy.LicenceAction.REVOKE: LicenceActionSpec(
        "Revoke the licence", LicenceReasonForm, _revoke, danger=True
    ),
    policy.LicenceAction.SURRENDER: LicenceActionSpec(
        "Surrender the licence", LicenceReasonForm, _surrender, danger=True
    ),
}


LICENCE_ACTIONS[policy.LicenceAction.RECORD_RETURN] = LicenceActionSpec(
    "Record the return of the goods", ReturnForm, _return
)


def allowed_licence_actions(user: Any, licence: Licence) -> list[str]:
    return [a for a in policy.allowed_licence_actions(user, licence) if a in LICENCE_ACTIONS]


def refusal_message(user: Any, licence: Licence, action: str) -> str:
    err = policy.licence_refusal(user, licence, action)
    return str(err) if err is not None else "That action is not available on this licence"
