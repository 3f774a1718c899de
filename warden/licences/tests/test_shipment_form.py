"""The shipment form's date field is pre-filled in ISO form: an <input type=date> shows any other format
(the en-GB 28/11/2026) as empty, and the officer's submission then fails with "required"."""

from __future__ import annotations

import re

import pytest

from warden.cases.tests import factories
from warden.lib import clock
from warden.licences.licence_actions import ShipmentForm
from warden.testing import Personas

pytestmark = pytest.mark.django_db


def test_shipped_on_is_prefilled_with_todays_iso_date(personas: Personas) -> None:
    licence = factories.licensed(personas).licence
    html = str(ShipmentForm(licence=licence)["shipped_on"])
    assert 'type="date"' in html
    assert re.search(rf'value="{clock.today().isoformat()}"', html)
