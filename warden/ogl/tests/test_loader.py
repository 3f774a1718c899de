"""`warden.ogl.loader`: the shipped illustrative file publishes its OGLs once; a file may not rewrite a
published version; a bad file is refused naming the licence, version and field, with nothing stored."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from warden.lib.actors import system
from warden.lib.errors import InvalidInput
from warden.ogl import loader
from warden.ogl.models import OglVersion, OpenGeneralLicence

ACTOR = system("tests")


def test_the_shipped_file_publishes_each_version_once(db: None) -> None:
    result = loader.load_file(actor=ACTOR)
    assert result.published == [
        "OGL-MIL-COMPONENTS from 2024-01-01",
        "OGL-MIL-COMPONENTS from 2026-06-01",
        "OGL-DU-LOW-RISK from 2025-01-01",
    ]
    mil = OpenGeneralLicence.objects.get(reference="OGL-MIL-COMPONENTS")
    assert "illustrative" in mil.title
    v2 = mil.version_on(dt.date(2026, 12, 1))
    assert v2 is not None and v2.number == 2 and v2.excluded_destinations == ["TR"]
    again = loader.load_file(actor=ACTOR)
    assert again.published == [] and len(again.unchanged) == 3
    assert OglVersion.objects.count() == 3


def test_a_file_may_not_rewrite_a_published_version(db: None, tmp_path: Path) -> None:
    loader.load_file(actor=ACTOR)
    text = loader.SHIPPED.read_text().replace("max_value: 250000", "max_value: 999999")
    path = tmp_path / "ogl.yaml"
    path.write_text(text)
    with pytest.raises(
        InvalidInput, match="OGL-MIL-COMPONENTS, version 1: version from 2024-01-01 is already"
    ):
        loader.load_file(actor=ACTOR, path=path)


def test_a_bad_file_names_the_licence_version_and_field_and_stores_nothing(db: None, tmp_path: Path) -> None:
    text = loader.SHIPPED.read_text().replace("[AU, CA, CH, IS,", "[AU, XX, CH, IS,")
    path = tmp_path / "ogl.yaml"
    path.write_text(text)
    with pytest.raises(InvalidInput) as exc:
        loader.load_file(actor=ACTOR, path=path)
    assert str(exc.value) == (
        "ogl.yaml: OGL-DU-LOW-RISK, version 1: permitted_destinations: 'XX' is not an ISO 3166-1 country code"
    )
    assert not OpenGeneralLicence.objects.exists()
    path.write_text("format: [unclosed")
    with pytest.raises(InvalidInput, match="ogl.yaml line 1: not YAML"):
        loader.load_file(actor=ACTOR, path=path)
    path.write_text("format: warden.other/1\n")
    with pytest.raises(InvalidInput, match="not a warden.ogl/1 document"):
        loader.load_file(actor=ACTOR, path=path)
