"""The licence actions the licence page offers: their forms and the service calls they make. Which of them a
user sees comes from warden.licences.policy.allowed_licence_actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms

from warden.lib import clock
from warden.lib.form_actions import FormAction
from warden.licences import policy, services
from warden.licences.models import Licence, LicenceLine, LicenceStatus

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
    value_amount = forms.DecimalField(
        label="Value shipped",
        min_value=0,
        max_digits=16,
        decimal_places=2,
        required=False,
        help_text="Leave empty to use the licensed unit value times the quantity.",
    )
    # An <input type=date> only takes ISO dates: the locale's format (28/11/2026) would show an empty field.
    shipped_on = forms.DateField(
        label="Shipped on", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reference = forms.CharField(label="Shipment reference", max_length=100, required=False)

    def __init__(self, *args: Any, licence: Licence, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"shipped_on": clock.today()})
        super().__init__(*args, licence=licence, **kwargs)
        field = self.fields["line"]
        field.queryset = licence.lines.select_related("goods_line")  # type: ignore[attr-defined]
        field.label_from_instance = lambda ln: (  # type: ignore[attr-defined]
            f"{ln.goods_line.description} ({ln.goods_line.rating}): "
            f"{ln.quantity - ln.shipped_quantity} of {ln.quantity} left"
        )


# The licence page's actions: a FormAction on a Licence, asked for with a LicenceForm.
LicenceActionSpec = FormAction[Licence, type[LicenceForm]]


def _with_reason(step: Callable[..., Any], done: str) -> Callable[[Any, Licence, dict[str, Any]], str]:
    """The lifecycle steps that take only a reason (suspend, reinstate, revoke, surrender) share one runner."""

    def run(actor: Any, licence: Licence, data: dict[str, Any]) -> str:
        step(actor=actor, licence=licence, reason=data["reason"])
        return f"Licence {licence.number} {done}."

    return run


_suspend = _with_reason(services.suspend_licence, "suspended")
_reinstate = _with_reason(services.reinstate_licence, "reinstated")
_revoke = _with_reason(services.revoke_licence, "revoked")
_surrender = _with_reason(services.surrender_licence, "surrendered")


def _ship(actor: Any, licence: Licence, data: dict[str, Any]) -> str:
    services.record_shipment(
        actor=actor,
        licence=licence,
        line=data["line"],
        quantity=data["quantity"],
        value_amount=data.get("value_amount"),
        shipped_on=data["shipped_on"],
        reference=data.get("reference", ""),
    )
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


def allowed_licence_actions(user: Any, licence: Licence) -> list[str]:
    return [a for a in policy.allowed_licence_actions(user, licence) if a in LICENCE_ACTIONS]


def refusal_message(user: Any, licence: Licence, action: str) -> str:
    err = policy.licence_refusal(user, licence, action)
    return str(err) if err is not None else "That action is not available on this licence"
