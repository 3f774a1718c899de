"""`warden oversight indicators`: the same hits as the portal, in text or JSON; exit 2 on an unknown id."""

from __future__ import annotations

import json

import pytest

from warden.cases.tests import factories
from warden.testing import Personas

pytestmark = pytest.mark.django_db


def test_the_indicators_command_explains_each_hit(
    personas: Personas, capsys: pytest.CaptureFixture[str]
) -> None:
    from warden.cli import main

    factories.submitted(personas)
    factories.submitted(personas)
    assert main(["oversight", "indicators"]) == 0
    assert "together EUR 2,500,000" in capsys.readouterr().out
    assert main(["oversight", "indicators", "--only", "split_applications", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [d["id"] for d in doc] == ["split_applications"] and len(doc[0]["hits"]) == 1


def test_an_unknown_indicator_exits_2_naming_the_choices(
    personas: Personas, capsys: pytest.CaptureFixture[str]
) -> None:
    from warden.cli import main

    assert main(["oversight", "indicators", "--only", "bribes"]) == 2
    assert "no indicator 'bribes'; choose one of: overrules" in capsys.readouterr().err
